// Domain records to the client API's protobuf messages: the one place where the api edge
// translates core and state types into coopchain.v1 types.
#pragma once

#include "coopchain/core/block.h"
#include "coopchain/net/outcome_proto.h"
#include "coopchain/state/records.h"
#include "coopchain/state/state_view.h"
#include "coopchain/v1/api.pb.h"
#include "coopchain/wire/time_codec.h"

namespace coopchain::api {

using net::to_proto;
using wire::to_timestamp;
// `now` decides whether each claim holds (the head block's time).
// With `full_history`, every event (the moved-out ones read from the state); without, the
// latest the lot record holds and the count of earlier ones.
v1::Lot to_proto(const LotRecord& lot, const StateReader& state, TimeMs now,
                 bool full_history = false);
v1::Certificate to_proto(const CertificateRecord& cert,
                         const std::vector<CertificateMemberRecord>& members, TimeMs now);
// A plot with its current geometry as GeoJSON text and, from `state`, its earlier geometries and
// its deforestation assessments.
v1::TracePlot to_proto(const FarmRecord& farm, const Plot& plot, const StateReader& state);
v1::Farm to_proto(const FarmRecord& farm, const StateReader& state);
// RFC 7946 GeoJSON for a stored geometry, coordinates exactly as stored (1e-7 degrees, printed
// with up to 7 decimals); "" for none.
std::string to_geojson(const Geometry& geometry);

}  // namespace coopchain::api
