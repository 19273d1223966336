#include "coopchain/audit/verify_db.h"

#include "coopchain/audit/store_source.h"
#include "coopchain/wire/genesis_json.h"

namespace coopchain::audit {

DatabaseCheck verify_database(const std::string& data_dir, const AuditOptions& options) {
  DatabaseCheck check;
  auto source = StoreChainSource::open(data_dir);
  if (!source.ok()) {
    check.failure = source.status().message();
    return check;
  }
  if (Status st = (*source)->store().verify_checksums(); !st.ok()) {
    check.failure = st.message();
    return check;
  }
  check.checksums_ok = true;
  auto json = (*source)->genesis_json();
  if (!json) {
    check.failure = "the database holds no genesis";
    return check;
  }
  auto genesis = wire::genesis_from_json(*json);
  if (!genesis.ok()) {
    check.failure = "the stored genesis does not parse: " + genesis.status().message();
    return check;
  }
  check.replay = audit_chain(*genesis, **source, &(*source)->store(), options);
  if (!check.replay.ok()) {
    check.failure = "height " + std::to_string(check.replay.failure->height) + ": " +
                    check.replay.failure->what;
  }
  return check;
}

}  // namespace coopchain::audit
