// Writing files that may hold secrets: the whole content, with exactly the given mode whatever
// the umask, removed again if the write fails.
#pragma once

#include <sys/types.h>

#include <string>

#include "coopchain/core/status.h"

namespace coopchain::devnet {

enum class FileCreation { kReplace, kExclusive };

// kExclusive refuses an existing file (kAlreadyExists) and leaves it untouched.
Status write_file(const std::string& path, const std::string& content, mode_t mode,
                  FileCreation creation = FileCreation::kReplace);

}  // namespace coopchain::devnet
