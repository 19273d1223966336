// A hash whose 32 bytes are all `b`: a distinct, readable id for tests that need many.
#pragma once

#include <cstdint>

#include "coopchain/core/hash.h"

namespace coopchain::testing {

inline Hash256 filled_hash(uint8_t b) {
  Hash256 h{};
  h.fill(b);
  return h;
}

}  // namespace coopchain::testing
