#include "graph.h"

#include <algorithm>

namespace shiki::graph {

std::vector<int> run(const resolve::Program& p, diag::Sink& sink) {
  enum Color : char { kWhite, kGrey, kBlack };
  std::vector<Color> color(p.rules.size(), kWhite);
  std::vector<int> order, path;
  bool cycle = false;
  // Iterative DFS so that a long chain of rules cannot overflow the stack.
  for (std::size_t root = 0; root < p.rules.size() && !cycle; ++root) {
    if (color[root] != kWhite) continue;
    std::vector<std::pair<int, std::size_t>> stack{{static_cast<int>(root), 0}};
    color[root] = kGrey;
    path.push_back(static_cast<int>(root));
    while (!stack.empty() && !cycle) {
      auto& [r, next] = stack.back();
      const auto& uses = p.rules[r].uses;
      if (next < uses.size()) {
        int u = uses[next++];
        if (color[u] == kGrey) {
          auto from = std::find(path.begin(), path.end(), u);
          std::string names;
          diag::Diagnostic d{diag::Code::E0401, p.rules[u].decl->loc, {}, {}};
          for (auto it = from; it != path.end(); ++it) {
            names += p.rules[*it].display + " → ";
            if (it != from) d.notes.push_back(diag::Note{p.rules[*it].decl->loc, "「" + p.rules[*it].display + "」がここにあります"});
          }
          names += p.rules[u].display;
          d.args = {names};
          d.notes.push_back(diag::Note{{}, "どれか一つの規則が、循環の中の規則を使わずに求まるように書き直します"});
          sink.report(d);
          cycle = true;
        } else if (color[u] == kWhite) {
          color[u] = kGrey;
          path.push_back(u);
          stack.push_back({u, 0});
        }
      } else {
        color[r] = kBlack;
        order.push_back(r);
        path.pop_back();
        stack.pop_back();
      }
    }
  }
  if (cycle) order.clear();
  return order;
}

}  // namespace shiki::graph
