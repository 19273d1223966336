#include "coopchain/state/plot_index.h"

#include <algorithm>

#include "coopchain/core/fatal.h"

namespace coopchain {
namespace {

constexpr int kMaxDepth = 20;
constexpr int64_t kShift = int64_t{1} << 31;

struct CellId {
  uint8_t depth = 0;
  uint32_t x = 0;
  uint32_t y = 0;
};

int64_t width_at(int depth) {
  return int64_t{1} << (32 - depth);
}

// The cell a box is placed in: the deepest whose width is at least twice the box's, holding the
// box's centre.
CellId placement(const PlotBox& box) {
  const int64_t extent = std::max(box.max_lon_e7 - box.min_lon_e7, box.max_lat_e7 - box.min_lat_e7);
  int depth = kMaxDepth;
  while (depth > 0 && 2 * extent > width_at(depth)) --depth;
  const int64_t cx = (box.min_lon_e7 + box.max_lon_e7) / 2 + kShift;
  const int64_t cy = (box.min_lat_e7 + box.max_lat_e7) / 2 + kShift;
  const int64_t w = width_at(depth);
  return {static_cast<uint8_t>(depth), static_cast<uint32_t>(cx / w),
          static_cast<uint32_t>(cy / w)};
}

// Whether the cell's reach (the cell widened by a quarter of its width) meets the box.
bool reaches(const CellId& cell, const PlotBox& box) {
  const int64_t w = width_at(cell.depth);
  const int64_t margin = w / 4;
  const int64_t x0 = int64_t{cell.x} * w - margin, x1 = (int64_t{cell.x} + 1) * w + margin;
  const int64_t y0 = int64_t{cell.y} * w - margin, y1 = (int64_t{cell.y} + 1) * w + margin;
  return box.min_lon_e7 + kShift < x1 && box.max_lon_e7 + kShift >= x0 &&
         box.min_lat_e7 + kShift < y1 && box.max_lat_e7 + kShift >= y0;
}

void search(const WorldView& world, const CellId& id, const PlotBox& box,
            std::vector<PlotRef>& out) {
  if (!reaches(id, box)) return;
  std::optional<PlotCellRecord> cell = world.plot_cell(id.depth, id.x, id.y);
  if (!cell) return;
  for (const PlotRef& plot : cell->plots) {
    if (plot.box.intersects(box)) out.push_back(plot);
  }
  for (uint32_t bit = 0; bit < 4; ++bit) {
    if ((cell->children & (1u << bit)) == 0) continue;
    search(world, {static_cast<uint8_t>(id.depth + 1), 2 * id.x + (bit & 1), 2 * id.y + (bit >> 1)},
           box, out);
  }
}

PlotCellRecord cell_or_empty(const WorldView& world, const CellId& id) {
  if (auto cell = world.plot_cell(id.depth, id.x, id.y)) return *cell;
  return PlotCellRecord{id.depth, id.x, id.y, 0, {}};
}

}  // namespace

PlotBox box_of(const Geometry& geometry) {
  const Position& first = geometry.rings.at(0).at(0);
  PlotBox box{first.lon_e7, first.lat_e7, first.lon_e7, first.lat_e7};
  for (const auto& ring : geometry.rings) {
    for (const Position& p : ring) {
      box.min_lon_e7 = std::min(box.min_lon_e7, p.lon_e7);
      box.min_lat_e7 = std::min(box.min_lat_e7, p.lat_e7);
      box.max_lon_e7 = std::max(box.max_lon_e7, p.lon_e7);
      box.max_lat_e7 = std::max(box.max_lat_e7, p.lat_e7);
    }
  }
  return box;
}

std::vector<PlotRef> plots_near(const WorldView& world, const PlotBox& box) {
  std::vector<PlotRef> out;
  search(world, CellId{}, box, out);
  return out;
}

void index_plot(World& world, const PlotRef& plot) {
  CellId id = placement(plot.box);
  PlotCellRecord cell = cell_or_empty(world, id);
  cell.plots.push_back(plot);
  world.put_plot_cell(cell);
  // Every ancestor marks the child on the path; once one already does, all above it do too.
  while (id.depth > 0) {
    const uint8_t bit = static_cast<uint8_t>(1u << (2 * (id.y & 1) + (id.x & 1)));
    id = {static_cast<uint8_t>(id.depth - 1), id.x / 2, id.y / 2};
    PlotCellRecord parent = cell_or_empty(world, id);
    if (parent.children & bit) break;
    parent.children |= bit;
    world.put_plot_cell(parent);
  }
}

void unindex_plot(World& world, const PlotRef& plot) {
  const CellId id = placement(plot.box);
  std::optional<PlotCellRecord> cell = world.plot_cell(id.depth, id.x, id.y);
  const auto same = [&](const PlotRef& p) {
    return p.farm_id == plot.farm_id && p.plot_id == plot.plot_id;
  };
  if (!cell || std::none_of(cell->plots.begin(), cell->plots.end(), same)) {
    fatal("the plot index lacks plot " + plot.plot_id + " of farm " + plot.farm_id);
  }
  std::erase_if(cell->plots, same);
  // An emptied cell stays, with its children's marks: the index only ever reads a little more.
  world.put_plot_cell(*cell);
}

}  // namespace coopchain
