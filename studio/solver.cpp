// No solver in this build: `shiki solve` is a separate piece of work. When
// it lands, this file adapts its entry point to solver.h (the form and its
// endpoint need no change).
#include "studio/solver.h"

namespace shiki::studio {

bool solver_available() { return false; }

SolveAnswer solve(const SolveRequest&) {
  SolveAnswer a;
  a.message = "この版には料率ソルバーが組み込まれていません (solver not available in this build)";
  return a;
}

}  // namespace shiki::studio
