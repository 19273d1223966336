// coopchain keygen: a new Ed25519 signing key in a PEM file only its owner can read.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/hash.h"
#include "output.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

// Creates `path` with mode 0600 and writes `content`; refuses an existing file.
Status write_new_secret(const std::string& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status(StatusCode::kAlreadyExists, path + " already exists; refusing to overwrite it");
    }
    return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  Status status;
  while (done < content.size()) {
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

int run_keygen(const Args& args) {
  auto key = PrivateKey::generate();
  if (!key.ok()) return fail(key.status().to_string());
  const std::string& path = args.value("out");
  if (Status s = write_new_secret(path, key->to_pem()); !s.ok()) return fail(s.message());
  const std::string id = key_id(key->public_key());
  const std::string public_hex = to_hex(key->public_key());
  if (output_format(args) == OutputFormat::kJson) {
    std::cout
        << JsonObject().set("file", path).set("keyId", id).set("publicKey", public_hex).to_string()
        << "\n";
    return kExitOk;
  }
  Fields()
      .add("key file", path + " (mode 0600)")
      .add("key id", id)
      .add("public key", public_hex)
      .print(std::cout);
  return kExitOk;
}

}  // namespace

std::vector<VerbSpec> keygen_verbs() {
  return {{
      .words = {"keygen"},
      .brief = "write a new signing key (PEM, mode 0600) and print its key id",
      .operands = {},
      .summary = "Writes a new Ed25519 private key (PKCS#8 PEM, mode 0600) to FILE and prints its\n"
                 "key id and public key. An existing file is never overwritten. The public key is\n"
                 "what a genesis lists for the organization that signs with this key.",
      .flags = {{.name = "out",
                 .value_name = "FILE",
                 .help = "where to write the key",
                 .required = true},
                output_flag()},
      .run = run_keygen,
  }};
}

}  // namespace coopchain::cli
