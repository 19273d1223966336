// A plot's geometry, checked as the EU Information System will check it (shared/eudr.md): a
// Point in range, or Polygons (one, or several in a MultiPolygon) each a single closed ring of at
// least four positions, without holes, without repeated vertices once truncated to 6 decimals,
// without spikes, of non-zero area, whose sides neither cross nor overlap, and (in a
// MultiPolygon) not overlapping each other.
//
// Determinism: every decision is made on integers. The chain stores coordinates in 1e-7 degrees;
// they are truncated (toward zero, as the EU system truncates decimals) to 1e-6 degrees, and all
// tests run on those integers: orientation and area signs by exact 128-bit cross products, and
// Boost.Geometry's validity check on 64-bit integer points. Boost computes its side tests on
// them in double, which is exact while coordinate differences multiply to less than 2^53 (any
// plot: 95 degrees apart), and beyond that rounds the same way on every machine because the
// rules are compiled without floating-point contraction (src/CMakeLists.txt). An ARM board and
// an x86 server agree.
#include <boost/geometry/algorithms/equals.hpp>
#include <boost/geometry/algorithms/is_valid.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "coopchain/rules/geometry.h"
#include "event_rules.h"

namespace coopchain::rules_internal {
namespace {

namespace bg = boost::geometry;

constexpr int64_t kMaxLonE7 = 1'800'000'000;
constexpr int64_t kMaxLatE7 = 900'000'000;
constexpr size_t kMaxRingPositions = 10'000;
constexpr size_t kMaxPolygons = 1'000;
// Rings up to this many sides get the crossing pair named; longer ones are only refused.
constexpr size_t kMaxSidesToLocateCrossing = 1'000;

using Point = bg::model::d2::point_xy<int64_t>;
using Ring = std::vector<Point>;                        // closed: first == last
using Polygon = bg::model::polygon<Point, true, true>;  // clockwise, closed
using MultiPolygon = bg::model::multi_polygon<Polygon>;

Verdict bad(std::string reason) {
  return Verdict::reject(RuleCode::kBadGeometry, std::move(reason));
}

// Boost's reason, in the words a person fixing the plot needs.
std::string describe(bg::validity_failure_type failure) {
  switch (failure) {
    case bg::failure_few_points:
      return "too few distinct positions";
    case bg::failure_wrong_topological_dimension:
      return "no area";
    case bg::failure_spikes:
      return "a spike";
    case bg::failure_duplicate_points:
      return "repeated positions";
    case bg::failure_not_closed:
      return "not closed";
    case bg::failure_self_intersections:
      return "sides that cross or overlap";
    case bg::failure_wrong_orientation:
      return "a ring turning the wrong way";
    case bg::failure_intersecting_interiors:
      return "polygons whose insides overlap";
    default:
      return "invalid (Boost.Geometry failure " + std::to_string(static_cast<int>(failure)) + ")";
  }
}

bool in_range(const Position& p) {
  return p.lon_e7 >= -kMaxLonE7 && p.lon_e7 <= kMaxLonE7 && p.lat_e7 >= -kMaxLatE7 &&
         p.lat_e7 <= kMaxLatE7;
}

__int128 cross(const Point& o, const Point& a, const Point& b) {
  return static_cast<__int128>(a.x() - o.x()) * (b.y() - o.y()) -
         static_cast<__int128>(a.y() - o.y()) * (b.x() - o.x());
}

__int128 dot(const Point& o, const Point& a, const Point& b) {
  return static_cast<__int128>(a.x() - o.x()) * (b.x() - o.x()) +
         static_cast<__int128>(a.y() - o.y()) * (b.y() - o.y());
}

// Twice the signed area (positive: counter-clockwise).
__int128 twice_area(const Ring& ring) {
  __int128 sum = 0;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    sum += static_cast<__int128>(ring[i].x()) * ring[i + 1].y() -
           static_cast<__int128>(ring[i + 1].x()) * ring[i].y();
  }
  return sum;
}

int sign(__int128 v) {
  return v > 0 ? 1 : (v < 0 ? -1 : 0);
}

bool on_segment(const Point& a, const Point& b, const Point& p) {
  return std::min(a.x(), b.x()) <= p.x() && p.x() <= std::max(a.x(), b.x()) &&
         std::min(a.y(), b.y()) <= p.y() && p.y() <= std::max(a.y(), b.y());
}

// Whether segments ab and cd touch, exactly.
bool segments_touch(const Point& a, const Point& b, const Point& c, const Point& d) {
  const int d1 = sign(cross(c, d, a)), d2 = sign(cross(c, d, b));
  const int d3 = sign(cross(a, b, c)), d4 = sign(cross(a, b, d));
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return (d1 == 0 && on_segment(c, d, a)) || (d2 == 0 && on_segment(c, d, b)) ||
         (d3 == 0 && on_segment(a, b, c)) || (d4 == 0 && on_segment(a, b, d));
}

// The first two sides (by their first vertex) that cross or overlap, other than neighbours
// meeting at their shared vertex; nullopt when none or the ring is too long to search.
std::optional<std::pair<size_t, size_t>> crossing_sides(const Ring& ring) {
  const size_t sides = ring.size() - 1;
  if (sides > kMaxSidesToLocateCrossing) return std::nullopt;
  for (size_t i = 0; i < sides; ++i) {
    for (size_t j = i + 1; j < sides; ++j) {
      const bool neighbours = j == i + 1 || (i == 0 && j == sides - 1);
      if (neighbours) {
        // Neighbours share a vertex; they fold onto each other only if collinear and reversed
        // (a spike, found before this is called).
        continue;
      }
      if (segments_touch(ring[i], ring[i + 1], ring[j], ring[j + 1])) return std::pair{i, j};
    }
  }
  return std::nullopt;
}

Verdict crossing(const std::string& name, std::pair<size_t, size_t> sides) {
  return bad(name + ": the side from vertex " + std::to_string(sides.first + 1) +
             " crosses or overlaps the side from vertex " + std::to_string(sides.second + 1));
}

// One polygon's single ring, truncated and checked, in the order given. `name` says which
// ("polygon 2").
Verdict read_ring(const std::vector<Position>& positions, const std::string& name, Ring* out) {
  if (positions.size() < 4) {
    return bad(name + " has " + std::to_string(positions.size()) +
               " positions; a ring needs at least 4");
  }
  if (positions.size() > kMaxRingPositions) {
    return bad(name + " has more than " + std::to_string(kMaxRingPositions) + " positions");
  }
  for (size_t i = 0; i < positions.size(); ++i) {
    if (!in_range(positions[i])) {
      return bad(name + ", vertex " + std::to_string(i + 1) +
                 ": coordinates out of range (longitude -180..180, latitude -90..90)");
    }
  }
  if (positions.front() != positions.back()) {
    return bad(name + " is not closed: its last position must repeat its first");
  }
  Ring ring;
  ring.reserve(positions.size());
  // Truncated toward zero to 6 decimals, as the EU system stores them.
  for (const auto& p : positions) ring.emplace_back(p.lon_e7 / 10, p.lat_e7 / 10);
  for (size_t i = 1; i < ring.size(); ++i) {
    if (bg::equals(ring[i], ring[i - 1])) {
      return bad(name + ", vertex " + std::to_string(i + 1) + " repeats vertex " +
                 std::to_string(i) + " once truncated to 6 decimals");
    }
  }
  const __int128 area = twice_area(ring);
  if (area == 0) {
    // A figure eight whose lobes cancel has no net area either; say what is really wrong.
    if (auto sides = crossing_sides(ring)) return crossing(name, *sides);
    return bad(name + " has no area: its positions lie on one line");
  }
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const Point& before = ring[i == 0 ? ring.size() - 2 : i - 1];
    if (cross(before, ring[i], ring[i + 1]) == 0 && dot(ring[i], before, ring[i + 1]) > 0) {
      return bad(name + ", vertex " + std::to_string(i + 1) +
                 " is a spike: the sides on either side of it fold onto each other");
    }
  }
  *out = std::move(ring);
  return Verdict::accept();
}

Verdict check_polygons(const Geometry& g, const std::string& where) {
  const bool multi = g.type == Geometry::Type::kMultiPolygon;
  if (g.rings.empty()) return bad(where + "a Polygon needs a ring");
  if (!multi && g.rings.size() > 1) {
    return bad(where + "the Polygon has " + std::to_string(g.rings.size() - 1) +
               " hole(s); holes are not accepted: send a ring with a hole as two polygons");
  }
  if (g.rings.size() > kMaxPolygons) return bad(where + "too many polygons");
  MultiPolygon shapes;
  for (size_t k = 0; k < g.rings.size(); ++k) {
    const std::string name = where + (multi ? "polygon " + std::to_string(k + 1) : "the ring");
    Ring ring;
    if (Verdict v = read_ring(g.rings[k], name, &ring); !v.ok()) return v;
    Polygon polygon;
    polygon.outer().assign(ring.begin(), ring.end());
    // Either way round is accepted; Boost's polygons here turn clockwise.
    if (twice_area(ring) > 0) std::reverse(polygon.outer().begin(), polygon.outer().end());
    bg::validity_failure_type failure = bg::no_failure;
    if (!bg::is_valid(polygon, failure)) {
      if (failure == bg::failure_self_intersections) {
        if (auto sides = crossing_sides(ring)) return crossing(name, *sides);
        return bad(name + ": its sides cross or overlap");
      }
      return bad(name + " is not a valid polygon: " + describe(failure));
    }
    shapes.push_back(std::move(polygon));
  }
  if (multi) {
    bg::validity_failure_type failure = bg::no_failure;
    if (!bg::is_valid(shapes, failure)) {
      return bad(where + "its polygons are not apart: " + describe(failure));
    }
  }
  return Verdict::accept();
}

// A polygon's area may differ from the declared area by this much, or by 10 %, whichever is more.
constexpr uint64_t kAreaSlackM2 = 500;

// Fixed-point constants (value × 2^60 or × 2^64), from 50-digit decimal arithmetic.
constexpr __int128 kOne = static_cast<__int128>(1) << 60;
constexpr __int128 kRadiansPerE7Q60 = 2'012'227'627;                // π/180 × 1e-7
constexpr __int128 kWgs84E2Q60 = 7'718'094'650'642'178;             // first eccentricity squared
constexpr __int128 kHalfM2PerE7SquaredQ64 = 1'135'311'512'157'983;  // (π/180·1e-7)² a²(1−e²)/2

// cos x for 0 ≤ x ≤ π/2 (x in Q60), by its series to x^12 in Horner form (error < 1e-8).
__int128 cos_q60(__int128 x) {
  const __int128 u = (x * x) >> 60;
  __int128 t = kOne;
  for (int d : {132, 90, 56, 30, 12, 2}) t = kOne - ((u * t) >> 60) / d;
  return t;
}

}  // namespace

uint64_t polygon_area_m2(const std::vector<Position>& ring) {
  // The area element of the ellipsoid, M·N·cos φ dφ dλ, taken at the ring's middle latitude and
  // applied to the exact integer shoelace area: within 0.01 % of the geodesic area for any plot
  // a farm has, and the same bits on every machine (integers only; no libm).
  __int128 twice = 0;
  int64_t lat_min = ring.front().lat_e7, lat_max = ring.front().lat_e7;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    twice += static_cast<__int128>(ring[i].lon_e7) * ring[i + 1].lat_e7 -
             static_cast<__int128>(ring[i + 1].lon_e7) * ring[i].lat_e7;
    lat_min = std::min(lat_min, ring[i].lat_e7);
    lat_max = std::max(lat_max, ring[i].lat_e7);
  }
  if (twice < 0) twice = -twice;
  const int64_t mid = (lat_min + lat_max) / 2;
  const __int128 cos_phi = cos_q60(static_cast<__int128>(mid < 0 ? -mid : mid) * kRadiansPerE7Q60);
  const __int128 sin2 = kOne - ((cos_phi * cos_phi) >> 60);
  const __int128 d = kOne - ((kWgs84E2Q60 * sin2) >> 60);  // 1 − e² sin² φ
  __int128 ratio = (cos_phi << 60) / d;                    // cos φ / (1 − e² sin² φ)²
  ratio = (ratio << 60) / d;
  return static_cast<uint64_t>((((twice * ratio) >> 60) * kHalfM2PerE7SquaredQ64) >> 64);
}

Verdict check_plot_geometry(const Plot& plot) {
  const std::string where = "plot " + plot.plot_id + ": ";
  if (Verdict v = check_geometry(plot.geometry, where); !v.ok()) return v;
  const Geometry& g = plot.geometry;
  if (g.type != Geometry::Type::kPolygon && g.type != Geometry::Type::kMultiPolygon) {
    return Verdict::accept();
  }
  uint64_t area = 0;
  for (const auto& ring : g.rings) area += polygon_area_m2(ring);
  const uint64_t declared = plot.area_m2;
  const uint64_t diff = declared > area ? declared - area : area - declared;
  // Apart by more than 10 % of the polygon's area and more than 500 m², decided in integers.
  if (diff > kAreaSlackM2 && diff * 10 > area) {
    return Verdict::reject(RuleCode::kAreaMismatch,
                           where + "declares " + std::to_string(declared) +
                               " m² but its polygons cover " + std::to_string(area) +
                               " m² (they may differ by 10 % or 500 m², whichever is more)");
  }
  return Verdict::accept();
}

}  // namespace coopchain::rules_internal

namespace coopchain {

Verdict check_geometry(const Geometry& g, std::string_view where_view) {
  using rules_internal::bad;
  const std::string where(where_view);
  switch (g.type) {
    case Geometry::Type::kNone:
      return Verdict::accept();
    case Geometry::Type::kInvalid:
      return bad(where + (g.invalid_reason.empty() ? "unreadable geometry" : g.invalid_reason));
    case Geometry::Type::kPoint:
      if (g.rings.size() != 1 || g.rings[0].size() != 1) {
        return bad(where + "a Point has exactly one position");
      }
      if (!rules_internal::in_range(g.rings[0][0])) {
        return bad(where + "coordinates out of range (longitude -180..180, latitude -90..90)");
      }
      return Verdict::accept();
    case Geometry::Type::kPolygon:
    case Geometry::Type::kMultiPolygon:
      return rules_internal::check_polygons(g, where);
  }
  return bad(where + "unknown geometry type");
}

}  // namespace coopchain
