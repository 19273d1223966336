// Hash functions for the state's unordered indexes: keys looked up as string views without a
// copy, and transaction ids, which are SHA-256 digests and so hash well by their first bytes.
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <string_view>

#include "coopchain/core/hash.h"

namespace coopchain {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct TxIdHash {
  size_t operator()(const Hash256& id) const {
    size_t out = 0;
    std::memcpy(&out, id.data(), sizeof out);
    return out;
  }
};

}  // namespace coopchain
