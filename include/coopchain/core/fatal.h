// The one way the process gives up. For what it cannot go on from without deciding on bad data:
// a storage read that fails, a stored record that does not decode, a crypto library that does
// not start. It says what on standard error and aborts, so that a supervisor restarts the node
// and its start-up check tells whether the database is sound. Bugs are asserts; bad input is a
// verdict or a Status; a failed write stops the node cleanly through its Status.
#pragma once

#include <string_view>

namespace coopchain {

[[noreturn]] void fatal(std::string_view what);

}  // namespace coopchain
