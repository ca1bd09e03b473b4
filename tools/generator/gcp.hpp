#pragma once

// Generates a Google Cloud organization for the shared company. It has a few projects with
// their service accounts, keys and IAM policies (gcloud JSON), and a few days of Cloud Audit
// Logs as a log sink writes them to Cloud Storage (JSON lines).

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes into output_dir/gcp/:
//   PROJECT.service-accounts.json  `gcloud iam service-accounts list --project PROJECT --format=json`
//   PROJECT.keys.jsonl             `gcloud iam service-accounts keys list --iam-account=EMAIL
//                                  --format=json`, one compact output per service account per line
//   PROJECT.iam-policy.json        `gcloud projects get-iam-policy PROJECT --format=json`
//   audit/cloudaudit.googleapis.com/{activity,data_access}/YYYY/MM/DD/00:00:00_23:59:59_S0.json
// About 0.8 service accounts per engineer plus each project's default accounts. Planted: keys
// older than 90 days, keys never used, keys of service accounts whose owner has left, and
// service accounts with roles/owner or roles/editor. Deterministic from company.rng("gcp").
core::Result<PlatformOutput> generate_gcp(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
