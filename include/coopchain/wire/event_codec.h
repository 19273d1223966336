// The edge between the protobuf wire types (coopchain.v1) and core's domain types: decoding a
// signed transaction's payload into a Transaction, building payloads for clients, and the proto3
// JSON mapping of events. Every failure to read input is a MALFORMED (or BAD_GEOMETRY) verdict
// carried in the Status.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include "coopchain/core/domain.h"
#include "coopchain/core/status.h"
#include "coopchain/core/transaction.h"
#include "coopchain/v1/events.pb.h"

namespace coopchain::wire {

// Decodes and checks the payload framing (size, no unknown fields, a 32-byte key, one event).
// Does not verify the signature.
Result<Transaction> decode_transaction(const SignedTransaction& signed_tx);
// decode_transaction, then the signature: a mismatch is a BAD_SIGNATURE refusal.
Result<Transaction> decode_verified_transaction(const SignedTransaction& signed_tx);

// The exact payload bytes a client signs.
std::string encode_payload(std::string_view chain_id, std::string_view public_key, uint64_t nonce,
                           const v1::Event& event);

Result<Event> event_from_proto(const v1::Event& event);

// A GeoJSON geometry object read into the chain's integer form (1e-7 degrees); one that cannot
// be read, or of a type the EU refuses, is kInvalid with the reason. The rules decide validity.
Geometry geometry_from_geojson(const google::protobuf::Struct& geometry);

struct NamedGeometry {
  std::string name;  // "feature 3 (F-001/P-1)", "the geometry"
  Geometry geometry;
  std::string place;  // the Feature's ProductionPlace ("F-001/P-1"); empty when it has none
};
// Every geometry of a GeoJSON text: a FeatureCollection (named by position and ProductionPlace),
// one Feature, or a bare geometry. MALFORMED when it is not JSON or not GeoJSON at all.
Result<std::vector<NamedGeometry>> geometries_from_geojson(std::string_view json);

// One event, or a JSON array of events, in the proto3 JSON mapping; unknown fields and enum
// values are MALFORMED.
Result<std::vector<v1::Event>> events_from_json(std::string_view json);
std::string event_to_json(const v1::Event& event, bool pretty = false);

SignedTransaction from_proto(const v1::SignedTransaction& tx);
v1::SignedTransaction to_proto(const SignedTransaction& tx);

}  // namespace coopchain::wire
