#include "program.h"

namespace shiki::bytecode {

namespace {
constexpr OpInfo kOps[] = {
#define OP(name, operands, stack, meaning) {#name, operands, stack, meaning},
#include "opcodes.def"
#undef OP
};
}  // namespace

const OpInfo& op_info(Op op) { return kOps[static_cast<int>(op)]; }
int op_count() { return static_cast<int>(std::size(kOps)); }

}  // namespace shiki::bytecode
