#include "coopchain/api/convert.h"
#include "coopchain/eudr/package.h"
#include "coopchain/rules/queries.h"
#include "service_impls.h"

namespace coopchain::api {
namespace {

// A trace deeper than this is cut and marked truncated, so one request cannot tie up the node.
constexpr uint32_t kDefaultTraceLots = 2'000;
constexpr uint32_t kMaxTraceLots = 20'000;

Status unknown_lot(const std::string& id) {
  return Status(StatusCode::kNotFound, "no lot " + id, RuleCode::kUnknownLot);
}

// A heavy query waits for its turn this long at most, whatever deadline its client set.
constexpr auto kMaxTurnWait = std::chrono::seconds(30);

}  // namespace

std::optional<HeavyQueryGate::Ticket> TraceService::heavy_ticket(const grpc::ServerContext& context,
                                                                 grpc::Status* busy) {
  const auto deadline =
      std::min(context.deadline(), std::chrono::system_clock::now() + kMaxTurnWait);
  auto ticket = heavy_.enter(deadline);
  if (!ticket) {
    *busy = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                         "too many traces and farm listings at once on this node; try again");
  }
  return ticket;
}

grpc::Status TraceService::serve_get_lot(const v1::GetLotRequest& request, v1::Lot* response) {
  auto view = reader_.committed();
  auto lot = get_lot(*view, request.lot_id());
  if (!lot) return to_grpc(unknown_lot(request.lot_id()));
  *response = to_proto(*lot, *view, view->head().time_ms);
  for (const LotOrigin& origin : lot->origins) {
    auto farm = get_farm(*view, origin.farm_id);
    const Plot* plot = farm ? farm->find_plot(origin.plot_id) : nullptr;
    if (plot != nullptr) *response->add_origin_plots() = to_proto(*farm, *plot, *view);
  }
  return grpc::Status::OK;
}

grpc::Status TraceService::serve_trace_lot(const grpc::ServerContext& context,
                                           const v1::TraceLotRequest& request,
                                           v1::TraceLotResponse* response) {
  grpc::Status busy;
  auto ticket = heavy_ticket(context, &busy);
  if (!ticket) return busy;
  const uint32_t max_lots =
      std::min(request.max_lots() == 0 ? kDefaultTraceLots : request.max_lots(), kMaxTraceLots);
  auto view = reader_.committed();
  LotTrace trace = trace_lot(*view, request.lot_id(), max_lots);
  if (trace.lots.empty()) return to_grpc(unknown_lot(request.lot_id()));
  const TimeMs now = view->head().time_ms;
  response->set_lot_id(request.lot_id());
  response->set_truncated(trace.truncated);
  std::set<LotOrigin> origins;
  for (const auto& lot : trace.lots) {
    *response->add_lots() = to_proto(lot, *view, now, /*full_history=*/true);
    origins.insert(lot.origins.begin(), lot.origins.end());
  }
  for (const auto& origin : origins) {
    auto* plot = response->add_plots();
    plot->set_farm_id(origin.farm_id);
    plot->set_plot_id(origin.plot_id);
    auto farm = get_farm(*view, origin.farm_id);
    if (!farm) continue;
    plot->set_cooperative(farm->cooperative);
    if (const Plot* p = farm->find_plot(origin.plot_id)) *plot = to_proto(*farm, *p, *view);
  }
  return grpc::Status::OK;
}

grpc::Status TraceService::serve_get_certificate(const v1::GetCertificateRequest& request,
                                                 v1::Certificate* response) {
  auto view = reader_.committed();
  auto cert = get_certificate(*view, request.certificate_id());
  if (!cert) {
    return to_grpc(Status(StatusCode::kNotFound, "no certificate " + request.certificate_id(),
                          RuleCode::kCertUnknown));
  }
  *response =
      to_proto(*cert, certificate_members(*view, cert->certificate_id), view->head().time_ms);
  return grpc::Status::OK;
}

grpc::Status TraceService::serve_list_lots_by_farm(const grpc::ServerContext& context,
                                                   const v1::ListLotsByFarmRequest& request,
                                                   v1::ListLotsByFarmResponse* response) {
  grpc::Status busy;
  auto ticket = heavy_ticket(context, &busy);
  if (!ticket) return busy;
  auto view = reader_.committed();
  if (!get_farm(*view, request.farm_id())) {
    return to_grpc(
        Status(StatusCode::kNotFound, "no farm " + request.farm_id(), RuleCode::kUnknownFarm));
  }
  const TimeMs now = view->head().time_ms;
  response->set_farm_id(request.farm_id());
  for (const auto& id : lots_by_farm(*view, request.farm_id())) {
    if (auto lot = get_lot(*view, id)) *response->add_lots() = to_proto(*lot, *view, now);
  }
  return grpc::Status::OK;
}

grpc::Status TraceService::StreamedGetLot(
    grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::GetLotRequest, v1::Lot>* stream) {
  return serve_query(stream, [this](const auto& request, auto* response) {
    return serve_get_lot(request, response);
  });
}

grpc::Status TraceService::StreamedTraceLot(
    grpc::ServerContext* context,
    grpc::ServerUnaryStreamer<v1::TraceLotRequest, v1::TraceLotResponse>* stream) {
  return serve_query(stream, [this, context](const auto& request, auto* response) {
    return serve_trace_lot(*context, request, response);
  });
}

grpc::Status TraceService::StreamedGetCertificate(
    grpc::ServerContext*,
    grpc::ServerUnaryStreamer<v1::GetCertificateRequest, v1::Certificate>* stream) {
  return serve_query(stream, [this](const auto& request, auto* response) {
    return serve_get_certificate(request, response);
  });
}

grpc::Status TraceService::StreamedListLotsByFarm(
    grpc::ServerContext* context,
    grpc::ServerUnaryStreamer<v1::ListLotsByFarmRequest, v1::ListLotsByFarmResponse>* stream) {
  return serve_query(stream, [this, context](const auto& request, auto* response) {
    return serve_list_lots_by_farm(*context, request, response);
  });
}

grpc::Status TraceService::serve_get_farm(const v1::GetFarmRequest& request, v1::Farm* response) {
  auto view = reader_.committed();
  auto farm = get_farm(*view, request.farm_id());
  if (!farm) {
    return to_grpc(
        Status(StatusCode::kNotFound, "no farm " + request.farm_id(), RuleCode::kUnknownFarm));
  }
  *response = to_proto(*farm, *view);
  return grpc::Status::OK;
}

grpc::Status TraceService::StreamedGetFarm(
    grpc::ServerContext*, grpc::ServerUnaryStreamer<v1::GetFarmRequest, v1::Farm>* stream) {
  return serve_query(stream, [this](const auto& request, auto* response) {
    return serve_get_farm(request, response);
  });
}

grpc::Status TraceService::serve_get_eudr_package(const grpc::ServerContext& context,
                                                  const v1::GetEudrPackageRequest& request,
                                                  v1::EudrPackage* response) {
  grpc::Status busy;
  auto ticket = heavy_ticket(context, &busy);
  if (!ticket) return busy;
  auto view = reader_.committed();
  EudrPackageOptions options;
  options.producer_names = !request.no_producer_names();
  options.chain_id = reader_.genesis().chain_id;
  options.head_height = view->head().height;
  options.tx_height = [&view](const Hash256& id) -> std::optional<uint64_t> {
    auto at = view->locate_transaction(id);
    if (!at) return std::nullopt;
    return at->height;
  };
  Result<EudrPackage> package = build_eudr_package(*view, request.export_id(), options);
  if (!package.ok()) return to_grpc(package.status());
  response->set_export_id(request.export_id());
  response->set_geolocation_geojson(std::move(package->geolocation_geojson));
  response->set_dds_json(std::move(package->dds_json));
  response->set_evidence_json(std::move(package->evidence_json));
  response->set_plots(static_cast<uint32_t>(package->plots));
  response->set_producers(static_cast<uint32_t>(package->producers));
  response->set_commodities(static_cast<uint32_t>(package->commodities));
  response->set_net_weight_g(package->net_weight_g);
  return grpc::Status::OK;
}

grpc::Status TraceService::StreamedGetEudrPackage(
    grpc::ServerContext* context,
    grpc::ServerUnaryStreamer<v1::GetEudrPackageRequest, v1::EudrPackage>* stream) {
  return serve_query(stream, [this, context](const auto& request, auto* response) {
    return serve_get_eudr_package(*context, request, response);
  });
}

}  // namespace coopchain::api
