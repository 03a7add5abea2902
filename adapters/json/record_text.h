// The output record written straight to JSON text for the streaming path
// (`shiki eval`): byte for byte what write_record(...).dump() gives (keys in
// the same sorted order), without building a JSON tree per household.
#pragma once
#include <map>
#include <string>

#include "interpreter/bytecode/program.h"
#include "interpreter/vm/vm.h"

namespace shiki::json_adapter {

class RecordText {
 public:
  explicit RecordText(const bytecode::Program& p);
  // Appends the record; `ruleset_json` is the serialised {"hash","id"}.
  void write(const vm::Household& h, vm::VM& vm, const std::string& ruleset_json, std::string& out);

 private:
  struct Node {
    std::map<std::string, int> children;  // sorted like nlohmann's objects
    int block = -1, field = -1;           // a leaf: the output field
    std::vector<int> arrays;              // blocks whose records form this array
  };
  void place(int block, int parent);
  int add_path(int root, const std::vector<std::string>& path);
  void fill(int root, int block, const vm::Household& h, vm::VM& vm);
  bool present(int node) const;
  void emit(int node, const vm::Household& h, vm::VM& vm, std::string& out);

  const bytecode::Program& p_;
  std::vector<Node> nodes_;
  std::vector<int> element_root_;   // per array block: the root of its element's tree
  std::vector<std::string> value_;  // per node: serialised leaf value
  std::vector<char> has_;           // per node: leaf present this time
  std::vector<char> given_;         // per output block: its `given` held this time
  int ruleset_leaf_ = -1;
  std::vector<int> work_;
};

}  // namespace shiki::json_adapter
