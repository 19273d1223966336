#include "coopchain/core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace coopchain {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path);
  return buf.str();
}

Status write_file(const std::string& path, const std::string& content, mode_t mode,
                  FileCreation creation) {
  const int flags =
      O_WRONLY | O_CREAT | O_CLOEXEC | (creation == FileCreation::kExclusive ? O_EXCL : O_TRUNC);
  int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status(StatusCode::kAlreadyExists, path + " already exists; refusing to overwrite it");
    }
    return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
  }
  Status status;
  if (::fchmod(fd, mode) != 0) {
    status = Status::IOError("cannot set mode of " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (status.ok() && done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status = Status::IOError("cannot write " + path + ": " + std::strerror(errno));
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && status.ok()) {
    status = Status::IOError("cannot close " + path + ": " + std::strerror(errno));
  }
  if (!status.ok()) ::unlink(path.c_str());
  return status;
}

}  // namespace coopchain
