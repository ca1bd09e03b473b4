#pragma once

// Builders for the API calls the generated identities make, with requestParameters,
// responseElements and resources in the shape CloudTrail logs them.

#include <string>
#include <string_view>
#include <vector>

#include "tools/generator/trail.hpp"

namespace keyward::generator {

// The resources one application works with in one region.
struct AppResources {
  std::string app;
  std::string region;
  std::string bucket;
  std::string table;
  std::string table_arn;
  std::string queue_url;
  std::string queue_arn;
  std::string secret_arn;
  std::string parameter;
  std::string kms_key_arn;
};

AppResources app_resources(const Account& account, std::string_view app, std::string_view region);

// A management call with the given request (null when it takes none) and no response.
ApiCall management_call(std::string_view service, std::string_view name, bool read_only, Json request = nullptr);
// The same call failing with an authorization error, in the form its service reports it.
ApiCall denied_call(std::string_view service, std::string_view name, std::string_view principal_arn, Json request = nullptr);

ApiCall s3_object_call(const Account& account, std::string_view operation, std::string_view bucket,
                       std::string_view key, std::string_view region, Rng& rng);
ApiCall s3_list_objects(const Account& account, std::string_view bucket, std::string_view prefix, std::string_view region);
ApiCall dynamodb_call(const Account& account, const AppResources& resources, std::string_view operation);
ApiCall sqs_call(const Account& account, const AppResources& resources, std::string_view operation, Rng& rng);
ApiCall get_secret_value(std::string_view secret_arn);
ApiCall get_parameter(std::string_view name);
ApiCall kms_decrypt(const Account& account, std::string_view key_arn);
ApiCall get_caller_identity();

// What an application does when it starts or refreshes its cache: read its configuration
// parameter and its own secret. Real services do this once per start, not per request.
std::vector<ApiCall> app_startup_calls(const AppResources& resources);
// A routine call of an application service: object reads and writes, table and queue traffic.
ApiCall app_service_call(const Account& account, const AppResources& resources, core::UnixTime time, Rng& rng);

// An S3 object key under the application's prefix for the day of `time`.
std::string object_key(std::string_view app, core::UnixTime time, Rng& rng);

}  // namespace keyward::generator
