// What the proto3 JSON parser lets through but the chain must not: an object that names a key
// twice (the parser silently keeps the last value, so two readers could see two events) and
// nesting deep enough to make parsing slow. Every JSON text a node or the CLI reads goes through
// check_json_structure before the parser.
#pragma once

#include <string>
#include <string_view>

namespace coopchain::wire {

// Deeper than any event, genesis or GeoJSON geometry needs (a MultiPolygon's positions sit at
// depth 5 inside an event at 4).
inline constexpr int kMaxJsonDepth = 32;

// Empty when `json` has no duplicate key and no nesting deeper than kMaxJsonDepth; otherwise
// what is wrong, with the byte offset. Syntax errors are left to the parser, which names them
// better; this check stops at the first byte it cannot read.
std::string check_json_structure(std::string_view json);

}  // namespace coopchain::wire
