// Typing mistakes the grammar cannot name (full-width digits, ¥, thousands
// commas, 和暦): found in the raw text before parsing.
#pragma once
#include "../diag/diag.h"
#include "../source/source.h"

namespace shiki::syntax {

// Reports each mistake with its half-width form as a fix-it; returns how
// many were reported (then the file is not parsed: the parser would only
// repeat them as syntax errors).
int report_typing(const source::SourceFile& file, diag::Sink& sink);

}  // namespace shiki::syntax
