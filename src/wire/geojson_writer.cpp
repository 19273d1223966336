#include "coopchain/wire/geojson_writer.h"

#include <cstdio>

namespace coopchain::wire {
namespace {

std::string degrees(int64_t e7, GeoJsonDecimals decimals) {
  const bool negative = e7 < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(e7) : static_cast<uint64_t>(e7);
  std::string fraction = std::to_string(magnitude % 10'000'000);
  fraction.insert(0, 7 - fraction.size(), '0');
  if (decimals == GeoJsonDecimals::kTruncated) {
    fraction.pop_back();
  } else {
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  }
  // A value that truncates to zero is written without a sign.
  const bool zero =
      magnitude / 10'000'000 == 0 && fraction.find_first_not_of('0') == std::string::npos;
  std::string out = (negative && !zero ? "-" : "") + std::to_string(magnitude / 10'000'000);
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

std::string position(const Position& p, GeoJsonDecimals decimals) {
  return "[" + degrees(p.lon_e7, decimals) + ", " + degrees(p.lat_e7, decimals) + "]";
}

std::string ring_json(const std::vector<Position>& ring, GeoJsonDecimals decimals) {
  std::string out = "[";
  for (size_t i = 0; i < ring.size(); ++i) {
    out += (i > 0 ? ", " : "") + position(ring[i], decimals);
  }
  return out + "]";
}

}  // namespace

std::string_view geometry_type_name(Geometry::Type type) {
  switch (type) {
    case Geometry::Type::kPoint:
      return "Point";
    case Geometry::Type::kPolygon:
      return "Polygon";
    case Geometry::Type::kMultiPolygon:
      return "MultiPolygon";
    default:
      return "";
  }
}

std::string geometry_to_geojson(const Geometry& g, GeoJsonDecimals decimals) {
  switch (g.type) {
    case Geometry::Type::kPoint:
      if (g.rings.empty() || g.rings[0].empty()) return "";
      return R"({"type": "Point", "coordinates": )" + position(g.rings[0][0], decimals) + "}";
    case Geometry::Type::kPolygon: {
      std::string rings;
      for (size_t i = 0; i < g.rings.size(); ++i) {
        rings += (i > 0 ? ", " : "") + ring_json(g.rings[i], decimals);
      }
      return R"({"type": "Polygon", "coordinates": [)" + rings + "]}";
    }
    case Geometry::Type::kMultiPolygon: {
      std::string polygons;
      for (size_t i = 0; i < g.rings.size(); ++i) {
        polygons += (i > 0 ? ", " : "") + std::string("[") + ring_json(g.rings[i], decimals) + "]";
      }
      return R"({"type": "MultiPolygon", "coordinates": [)" + polygons + "]}";
    }
    default:
      return "";
  }
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace coopchain::wire
