// Whether a geometry is one the EU Information System accepts (docs/rules.md, "Shape"): the
// rules run it on every registered plot, and `coopchain eudr check` on any GeoJSON file. Pure;
// decided on integers, so every node agrees.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "coopchain/core/domain.h"
#include "coopchain/core/rule_code.h"

namespace coopchain {

// BAD_GEOMETRY with a reason starting with `where` ("plot P-1: "), or accepted. A geometry of
// type kNone is accepted (whether one is needed is another rule's question).
Verdict check_geometry(const Geometry& geometry, std::string_view where);

// How much land two plots share, as PLOT_OVERLAP measures it: on the coordinates truncated to 6
// decimals, in integers, so every node agrees (docs/rules.md, "PLOT_OVERLAP").
struct PlotOverlap {
  __int128 shared = 0;   // twice the shared area, in (1e-6 degree)²
  __int128 smaller = 0;  // twice the smaller plot's area
  // More than 5 % of the smaller plot: refused between plots of different farms.
  bool too_much() const { return shared * 20 > smaller; }
  // The shared part of the smaller plot, "12.3 %" (rounded down to a tenth).
  std::string percent() const;
};
// REQUIRES: both are Polygons or MultiPolygons that check_geometry accepts. nullopt when the
// intersection cannot be computed (Boost.Geometry gives up on the pair).
std::optional<PlotOverlap> measure_overlap(const Geometry& a, const Geometry& b);

}  // namespace coopchain
