// Status ↔ gRPC status, one mapping for the client API and the peer service.
#pragma once

#include <grpcpp/support/status.h>

#include "coopchain/core/status.h"

namespace coopchain::net {

grpc::Status to_grpc(const Status& status);
Status from_grpc(const grpc::Status& status);

}  // namespace coopchain::net
