// Reading a whole file, and writing files that may hold secrets: the whole content, with
// exactly the given mode whatever the umask, removed again if the write fails.
#pragma once

#include <sys/types.h>

#include <string>

#include "coopchain/core/status.h"

namespace coopchain {

// The whole file; an IOError naming the path and the reason when it cannot be read.
Result<std::string> read_file(const std::string& path);

enum class FileCreation { kReplace, kExclusive };

// kExclusive refuses an existing file (kAlreadyExists) and leaves it untouched.
Status write_file(const std::string& path, const std::string& content, mode_t mode,
                  FileCreation creation = FileCreation::kReplace);

}  // namespace coopchain
