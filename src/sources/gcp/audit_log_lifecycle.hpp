#pragma once

// Inventory facts in Cloud Audit Logs: IAM admin calls that create, delete, disable or enable
// service accounts and their keys update the identity or credential they name.

#include <simdjson.h>

#include <string>
#include <string_view>

#include "core/time.hpp"
#include "store/store.hpp"

namespace keyward::sources::gcp {

struct LifecycleFacts {
  std::string actor;  // principal that made the call, or "" when the log names none
  core::UnixTime time = 0;
  bool succeeded = false;  // status.code was absent or 0
};

// Applies the entry when `method` is one of the google.iam.admin.v1 service account or key
// methods and the call succeeded; does nothing otherwise.
void apply_lifecycle(std::string_view method, simdjson::dom::element entry, simdjson::dom::element payload,
                     const LifecycleFacts& facts, store::Batch& batch);

}  // namespace keyward::sources::gcp
