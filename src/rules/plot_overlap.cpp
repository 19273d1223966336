// PLOT_OVERLAP: the same land registered again under another farm would let its harvests be
// counted twice against the yield caps. A polygon plot is compared with every plot of another
// farm whose box meets its own (found through the plot index, state/plot_index.h) and refused
// when the two share more than 5 % of the smaller one's area. Plots of one farm may overlap
// (coffee under cocoa shade is one piece of land with two crops), and Points have no area.
//
// Determinism: like the shape check, on the coordinates truncated to 6 decimals, as integers.
// Boost.Geometry intersects polygons of integer points with its side tests in double (exact
// for plots; see plot_geometry.cpp) and each crossing point rounded to the grid by integer
// division, and every area is an exact 128-bit shoelace sum, so the verdict is the same on
// every machine. Rounding crossings to the grid (11 cm) moves a share by well under 0.2 %. Both
// areas are planar in degrees: the two plots touch, so the latitude's scale is the same for both
// and cancels out of the ratio.
#include <boost/geometry/algorithms/intersection.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "coopchain/rules/geometry.h"
#include "coopchain/state/plot_index.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

namespace bg = boost::geometry;
using Point = bg::model::d2::point_xy<int64_t>;
using Polygon = bg::model::polygon<Point, true, true>;  // clockwise, closed
using MultiPolygon = bg::model::multi_polygon<Polygon>;

bool has_area(const Geometry& g) {
  return g.type == Geometry::Type::kPolygon || g.type == Geometry::Type::kMultiPolygon;
}

__int128 twice_signed_area(const std::vector<Point>& ring) {
  __int128 sum = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    sum += static_cast<__int128>(ring[i].x()) * ring[i + 1].y() -
           static_cast<__int128>(ring[i + 1].x()) * ring[i].y();
  }
  return sum;
}

__int128 magnitude(__int128 v) {
  return v < 0 ? -v : v;
}

// The geometry's polygons on the truncated coordinates, turning clockwise, and twice their area.
MultiPolygon shapes_of(const Geometry& g, __int128* twice_area) {
  MultiPolygon shapes;
  *twice_area = 0;
  for (const auto& ring : g.rings) {
    Polygon polygon;
    for (const Position& p : ring) polygon.outer().emplace_back(p.lon_e7 / 10, p.lat_e7 / 10);
    const __int128 signed_area = twice_signed_area(polygon.outer());
    if (signed_area > 0) std::reverse(polygon.outer().begin(), polygon.outer().end());
    *twice_area += magnitude(signed_area);
    shapes.push_back(std::move(polygon));
  }
  return shapes;
}

__int128 twice_area_of(const MultiPolygon& shapes) {
  __int128 sum = 0;
  for (const Polygon& polygon : shapes) {
    sum += magnitude(twice_signed_area(polygon.outer()));
    for (const auto& hole : polygon.inners()) sum -= magnitude(twice_signed_area(hole));
  }
  return sum;
}

}  // namespace

Verdict check_plot_overlap(const WorldView& world, std::string_view farm_id, const Plot& plot) {
  if (!has_area(plot.geometry)) return Verdict::accept();
  std::map<std::string, FarmRecord, std::less<>> farms;
  for (const PlotRef& near : plots_near(world, box_of(plot.geometry))) {
    if (near.farm_id == farm_id) continue;
    auto it = farms.find(near.farm_id);
    if (it == farms.end()) {
      std::optional<FarmRecord> farm = world.farm(near.farm_id);
      if (!farm) continue;
      it = farms.emplace(near.farm_id, std::move(*farm)).first;
    }
    const Plot* other = it->second.find_plot(near.plot_id);
    if (other == nullptr || !has_area(other->geometry)) continue;
    std::optional<PlotOverlap> overlap = measure_overlap(plot.geometry, other->geometry);
    if (!overlap) {
      return Verdict::reject(RuleCode::kPlotOverlap,
                             "plot " + plot.plot_id + ": its overlap with plot " + near.plot_id +
                                 " of farm " + near.farm_id +
                                 " cannot be measured; simplify the polygon");
    }
    if (overlap->too_much()) {
      return Verdict::reject(RuleCode::kPlotOverlap,
                             "plot " + plot.plot_id + " overlaps plot " + near.plot_id +
                                 " of farm " + near.farm_id + " by " + overlap->percent() +
                                 " of the smaller plot; plots of different farms may share at "
                                 "most 5 %: is this land already registered?");
    }
  }
  return Verdict::accept();
}

void index_plot_of(World& world, std::string_view farm_id, const Plot& plot) {
  if (!has_area(plot.geometry)) return;
  index_plot(world, PlotRef{std::string(farm_id), plot.plot_id, box_of(plot.geometry)});
}

void unindex_plot_of(World& world, std::string_view farm_id, const Plot& plot) {
  if (!has_area(plot.geometry)) return;
  unindex_plot(world, PlotRef{std::string(farm_id), plot.plot_id, box_of(plot.geometry)});
}

}  // namespace coopchain::rules_internal

namespace coopchain {

std::string PlotOverlap::percent() const {
  const int64_t tenths = smaller > 0 ? static_cast<int64_t>(shared * 1000 / smaller) : 0;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " %";
}

std::optional<PlotOverlap> measure_overlap(const Geometry& a, const Geometry& b) {
  using namespace rules_internal;
  PlotOverlap out;
  __int128 area_a = 0, area_b = 0;
  const MultiPolygon shapes_a = shapes_of(a, &area_a);
  const MultiPolygon shapes_b = shapes_of(b, &area_b);
  MultiPolygon shared;
  try {
    bg::intersection(shapes_a, shapes_b, shared);
  } catch (const bg::exception&) {
    return std::nullopt;
  }
  out.shared = twice_area_of(shared);
  out.smaller = std::min(area_a, area_b);
  return out;
}

}  // namespace coopchain
