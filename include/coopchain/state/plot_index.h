// The plot index: which registered plots lie near a place, so that the overlap rule compares a
// new plot with its neighbours only, at a cost that does not grow with the number of plots.
//
// A loose quadtree over the globe, kept in the state (one PlotCellRecord per occupied cell, so
// every node holds the same index and the state root commits to it). Coordinates are shifted
// to 0 .. 2^32 (1e-7 degrees + 2^31); a cell at depth d is 2^(32-d) wide, down to depth 20
// (about 45 m). A plot is placed once, at the deepest cell at least twice its width, in the
// cell holding its box's centre; a cell's reach is the cell widened by a quarter of its width
// on every side, which always covers the boxes placed in it. Because plots that overlap are
// refused, a cell holds few plots, and a search reads only occupied cells whose reach meets
// the box: a few per depth.
#pragma once

#include <vector>

#include "coopchain/core/domain.h"
#include "coopchain/state/world.h"

namespace coopchain {

// The box around every position of the geometry. REQUIRES: the geometry has a position.
PlotBox box_of(const Geometry& geometry);

// The indexed plots whose boxes meet `box`, in one order on every node (the tree depth first,
// then the order plots were placed in a cell).
std::vector<PlotRef> plots_near(const WorldView& world, const PlotBox& box);

void index_plot(World& world, const PlotRef& plot);
// Takes the plot out of the index. REQUIRES: it was indexed with this box.
void unindex_plot(World& world, const PlotRef& plot);

}  // namespace coopchain
