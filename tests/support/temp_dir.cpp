#include "temp_dir.h"

#include <unistd.h>

#include <stdexcept>

namespace coopchain::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() /
                         ("coopchain-test-" + std::to_string(::getpid()) + "-XXXXXX"))
                            .string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace coopchain::testing
