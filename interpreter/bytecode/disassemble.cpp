// `shiki dis`: one line per instruction, clox style, with the source line.
#include <cstdio>
#include <sstream>

#include "program.h"

namespace shiki::bytecode {

std::string disassemble(const Program& p, const Chunk& c) { return disassemble(p, c, p.constants, {}); }

std::string disassemble(const Program& p, const Chunk& c, const std::vector<Value>& constants,
                        const std::function<std::string(int k)>& label) {
  std::ostringstream out;
  out << "== " << c.name;
  if (c.file) out << "  " << c.file->path();
  out << " ==\n";
  int last_line = -1;
  for (std::size_t i = 0; i < c.code.size(); ++i) {
    const Instr& in = c.code[i];
    const OpInfo& info = op_info(in.op);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04zu ", i);
    out << buf;
    if (c.lines[i] == last_line) out << "   | ";
    else {
      std::snprintf(buf, sizeof buf, "%4d ", c.lines[i]);
      out << buf;
    }
    last_line = c.lines[i];
    std::snprintf(buf, sizeof buf, "%-12s", info.name);
    out << buf;
    int operands = 0;
    for (const char* s = info.operands; *s; ++s)
      if (*s != ' ' && (s == info.operands || s[-1] == ' ')) ++operands;
    const std::int32_t ops[] = {in.a, in.b, in.c};
    for (int k = 0; k < operands; ++k) out << " " << ops[k];
    switch (in.op) {
      case Op::CONST: {
        const Value& v = constants[in.a];
        out << "    ; ";
        if (v.tag == Tag::Num) out << v.num().to_string();
        else if (v.tag == Tag::Date) out << time::to_string(time::Date{v.i});
        else if (v.tag == Tag::Month) out << time::to_string(time::Month{v.i});
        else if (v.tag == Tag::Text) out << '"' << *v.text << '"';
        else if (v.tag == Tag::Bool) out << (v.i ? "true" : "false");
        else out << "none";
        if (label)
          if (std::string l = label(in.a); !l.empty()) out << "  " << l;
        break;
      }
      case Op::RULE: case Op::CALL: out << "    ; " << p.rule_names[in.a]; break;
      case Op::PARAM: out << "    ; " << p.params[in.a].name; break;
      case Op::TABLE: case Op::TABLE_AT: out << "    ; " << p.tables[in.a].name; break;
      case Op::CHUNK: out << "    ; " << p.chunks[in.a].name; break;
      case Op::INPUT: out << "    ; " << p.inputs[p.entity_inputs[in.a][in.b]].name; break;
      case Op::ROUND: case Op::DIV_ROUND:
        out << "    ; " << decimal::rounding_name(static_cast<decimal::Rounding>(in.a)) << " 10^" << in.b;
        break;
      case Op::JUMP: case Op::JUMP_IF_NOT: case Op::AND_JUMP: case Op::OR_JUMP:
        out << "    ; -> " << static_cast<long>(i) + 1 + in.a;
        break;
      case Op::JUMP_IF_IS: out << "    ; -> " << static_cast<long>(i) + 1 + in.b; break;
      case Op::NEXT: case Op::ALIKE_END: out << "    ; -> " << static_cast<long>(i) + 1 + in.c; break;
      case Op::FOR_ALIKE: out << "    ; when " << p.rule_names[p.entities[in.a].alike_rule]; break;
      default: break;
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace shiki::bytecode
