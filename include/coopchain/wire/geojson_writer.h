// A stored geometry as RFC 7946 GeoJSON text (longitude first), written from its integers: the
// API prints the coordinates exactly as the chain keeps them, the EUDR package as the EU stores
// them (truncated toward zero to 6 decimals). No floating point, so the text is the same on
// every machine.
#pragma once

#include <string>
#include <string_view>

#include "coopchain/core/domain.h"

namespace coopchain::wire {

enum class GeoJsonDecimals {
  kExact,     // up to 7 decimals, trailing zeros dropped: -765200000 is -76.52
  kTruncated  // exactly 6 decimals, cut toward zero: -765200009 is -76.520000
};

// "" for a geometry of type kNone.
std::string geometry_to_geojson(const Geometry& geometry,
                                GeoJsonDecimals decimals = GeoJsonDecimals::kExact);
// "Point", "Polygon", "MultiPolygon", or "" for none.
std::string_view geometry_type_name(Geometry::Type type);
// A JSON string literal with quotes, backslashes and control characters escaped.
std::string json_string(std::string_view text);

}  // namespace coopchain::wire
