#include "coopchain/core/fatal.h"

#include <cstdio>
#include <cstdlib>

namespace coopchain {

void fatal(std::string_view what) {
  std::fprintf(stderr, "coopchain: fatal: %.*s\n", static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace coopchain
