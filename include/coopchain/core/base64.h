// Standard base64 (RFC 4648, with padding), as the EU's DDS carries a producer's GeoJSON.
#pragma once

#include <string>
#include <string_view>

namespace coopchain {

std::string base64_encode(std::string_view bytes);

}  // namespace coopchain
