#pragma once

#include <vector>

#include "core/result.hpp"
#include "posture/check.hpp"
#include "store/store.hpp"

namespace keyward::posture {

struct PostureRun {
  std::vector<core::Finding> findings;  // highest score first
  core::UnixTime as_of = 0;
  std::string as_of_source;
};

// Loads the inventory from the store, runs every check, scores the findings (0-100 from
// privilege, activity and exposure) and syncs them into the store.
// Returns the time ages are measured against, and where it came from: `as_of` when set, else the
// ingested credential report's generation time, else now.
core::Result<std::pair<core::UnixTime, std::string>> resolve_posture_as_of(store::Store& store,
                                                                           std::optional<core::UnixTime> as_of);

core::Result<PostureRun> run_posture(store::Store& store, const PostureOptions& options);

}  // namespace keyward::posture
