// Whether a geometry is one the EU Information System accepts (docs/rules.md, "Shape"): the
// rules run it on every registered plot, and `coopchain eudr check` on any GeoJSON file. Pure;
// decided on integers, so every node agrees.
#pragma once

#include <string_view>

#include "coopchain/core/domain.h"
#include "coopchain/core/rule_code.h"

namespace coopchain {

// BAD_GEOMETRY with a reason starting with `where` ("plot P-1: "), or accepted. A geometry of
// type kNone is accepted (whether one is needed is another rule's question).
Verdict check_geometry(const Geometry& geometry, std::string_view where);

}  // namespace coopchain
