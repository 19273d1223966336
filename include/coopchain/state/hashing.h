// The hash function for the state's unordered indexes: keys looked up as string views without a
// copy. (Transaction ids hash with core's TxIdHash.)
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "coopchain/core/hash.h"

namespace coopchain {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace coopchain
