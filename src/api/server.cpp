#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "service_impls.h"

namespace coopchain::api {

struct ClientApiServer::Services {
  Services(const ChainReader& reader, TransactionSubmitter& submitter, const ApiOptions& options)
      : ledger(reader, submitter, options.submit_wait_timeout_ms, options.max_block_streams),
        trace(reader),
        node_service(reader),
        governance(reader) {}
  LedgerService ledger;
  TraceService trace;
  NodeService node_service;
  GovernanceService governance;
};

Result<std::unique_ptr<ClientApiServer>> ClientApiServer::start(const ChainReader& reader,
                                                                TransactionSubmitter& submitter,
                                                                const ApiOptions& options) {
  std::unique_ptr<ClientApiServer> server(new ClientApiServer());
  server->services_ = std::make_unique<Services>(reader, submitter, options);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!options.tls_cert_pem.empty()) {
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back({options.tls_key_pem, options.tls_cert_pem});
    credentials = grpc::SslServerCredentials(tls);
  }
  builder.AddListeningPort(options.listen, credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_request_bytes));
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 4);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, -1);
  builder.RegisterService(&server->services_->ledger);
  builder.RegisterService(&server->services_->trace);
  builder.RegisterService(&server->services_->node_service);
  builder.RegisterService(&server->services_->governance);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return Status::Unavailable("cannot listen for clients on " + options.listen);
  }
  return server;
}

ClientApiServer::~ClientApiServer() {
  shutdown();
}

void ClientApiServer::shutdown() {
  if (!server_) return;
  services_->ledger.stop_streams();
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_->Wait();
  server_.reset();
}

}  // namespace coopchain::api
