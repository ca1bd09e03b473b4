#include "tools/generator/api_calls.hpp"

#include <fmt/format.h>

namespace keyward::generator {
namespace {

// DynamoDB and SQS data events hide item keys and message bodies behind this marker.
constexpr std::string_view kHidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

Json resource(const Account& account, std::string_view type, std::string_view arn) {
  Json entry;
  entry["accountId"] = account.id;
  entry["type"] = type;
  entry["ARN"] = arn;
  return entry;
}

}  // namespace

AppResources app_resources(const Account& account, std::string_view app, std::string_view region) {
  AppResources resources;
  resources.app = std::string(app);
  resources.region = std::string(region);
  resources.bucket = account.bucket(app);
  resources.table = fmt::format("{}-prod", app);
  resources.table_arn = fmt::format("arn:aws:dynamodb:{}:{}:table/{}", region, account.id, resources.table);
  resources.queue_url = fmt::format("https://sqs.{}.amazonaws.com/{}/{}-events", region, account.id, app);
  resources.queue_arn = fmt::format("arn:aws:sqs:{}:{}:{}-events", region, account.id, app);
  resources.secret_arn = account.secret_arn(fmt::format("prod/{}/credentials", app), region);
  resources.parameter = fmt::format("/prod/{}/config", app);
  Rng key_rng = Rng(0).fork(account.id + std::string(app));
  resources.kms_key_arn = fmt::format("arn:aws:kms:{}:{}:key/{}", region, account.id, key_rng.uuid());
  return resources;
}

ApiCall management_call(std::string_view service, std::string_view name, bool read_only, Json request) {
  ApiCall call;
  call.service = std::string(service);
  call.name = std::string(name);
  call.read_only = read_only;
  call.request = std::move(request);
  if (service == "iam") call.region = std::string(kPrimaryRegion);
  return call;
}

ApiCall denied_call(std::string_view service, std::string_view name, std::string_view principal_arn, Json request) {
  ApiCall call = management_call(service, name, true, std::move(request));
  const std::string action = fmt::format("{}:{}", service == "monitoring" ? "cloudwatch" : service, name);
  if (service == "ec2") {
    call.error_code = "Client.UnauthorizedOperation";
    call.error_message = "You are not authorized to perform this operation. " +
                         access_denied_message(principal_arn, action, "*");
  } else if (service == "iam" || service == "s3" || service == "sts" || service == "organizations" ||
             service == "cloudtrail") {
    call.error_code = "AccessDenied";
    call.error_message = access_denied_message(principal_arn, action, "*");
  } else {
    call.error_code = "AccessDeniedException";
    call.error_message = access_denied_message(principal_arn, action, "*");
  }
  return call;
}

std::string object_key(std::string_view app, core::UnixTime time, Rng& rng) {
  const std::string date = core::format_date(time);
  return fmt::format("{}/{}/{}/{}/{}.json", app, date.substr(0, 4), date.substr(5, 2), date.substr(8, 2), rng.hex(12));
}

ApiCall s3_object_call(const Account& account, std::string_view operation, std::string_view bucket,
                       std::string_view key, std::string_view region, Rng& rng) {
  ApiCall call;
  call.service = "s3";
  call.name = std::string(operation);
  call.read_only = operation != "PutObject";
  call.data_event = true;
  const std::string host = fmt::format("{}.s3.{}.amazonaws.com", bucket, region);
  call.request = {{"bucketName", bucket}, {"Host", host}, {"key", key}};
  if (operation == "PutObject") call.response = {{"x-amz-server-side-encryption", "AES256"}};
  const std::int64_t bytes = rng.uniform(300, 250000);
  call.additional = {{"SignatureVersion", "SigV4"},
                     {"CipherSuite", "TLS_AES_128_GCM_SHA256"},
                     {"bytesTransferredIn", operation == "PutObject" ? bytes : 0},
                     {"AuthenticationMethod", "AuthHeader"},
                     {"bytesTransferredOut", operation == "PutObject" ? 0 : bytes}};
  Json object_resource;
  object_resource["type"] = "AWS::S3::Object";
  object_resource["ARN"] = fmt::format("arn:aws:s3:::{}/{}", bucket, key);
  call.resources = Json::array({object_resource, resource(account, "AWS::S3::Bucket", fmt::format("arn:aws:s3:::{}", bucket))});
  call.host = host;
  return call;
}

ApiCall s3_list_objects(const Account& account, std::string_view bucket, std::string_view prefix, std::string_view region) {
  ApiCall call;
  call.service = "s3";
  call.name = "ListObjects";
  call.data_event = true;
  const std::string host = fmt::format("{}.s3.{}.amazonaws.com", bucket, region);
  call.request = {{"list-type", "2"}, {"bucketName", bucket}, {"prefix", prefix}, {"Host", host}};
  call.additional = {{"SignatureVersion", "SigV4"}, {"CipherSuite", "TLS_AES_128_GCM_SHA256"},
                     {"bytesTransferredIn", 0}, {"AuthenticationMethod", "AuthHeader"}, {"bytesTransferredOut", 1843}};
  call.resources = Json::array({resource(account, "AWS::S3::Bucket", fmt::format("arn:aws:s3:::{}", bucket))});
  call.host = host;
  return call;
}

ApiCall dynamodb_call(const Account& account, const AppResources& resources, std::string_view operation) {
  ApiCall call;
  call.service = "dynamodb";
  call.name = std::string(operation);
  call.read_only = operation == "GetItem" || operation == "Query";
  call.data_event = true;
  if (operation == "Query") {
    call.request = {{"tableName", resources.table},
                    {"keyConditionExpression", "pk = :pk"},
                    {"expressionAttributeValues", {{":pk", kHidden}}},
                    {"limit", 50}};
  } else {
    call.request = {{"tableName", resources.table}, {"key", {{"pk", kHidden}, {"sk", kHidden}}}};
    if (operation == "GetItem") call.request["consistentRead"] = false;
  }
  call.resources = Json::array({resource(account, "AWS::DynamoDB::Table", resources.table_arn)});
  return call;
}

ApiCall sqs_call(const Account& account, const AppResources& resources, std::string_view operation, Rng& rng) {
  ApiCall call;
  call.service = "sqs";
  call.name = std::string(operation);
  call.read_only = false;
  call.data_event = true;
  if (operation == "SendMessage") {
    call.request = {{"queueUrl", resources.queue_url}, {"messageBody", kHidden}};
    call.response = {{"mD5OfMessageBody", rng.hex(32)}, {"messageId", rng.uuid()}};
  } else if (operation == "ReceiveMessage") {
    call.request = {{"queueUrl", resources.queue_url}, {"maxNumberOfMessages", 10}, {"waitTimeSeconds", 20}};
  } else {
    call.request = {{"queueUrl", resources.queue_url}, {"receiptHandle", kHidden}};
  }
  call.resources = Json::array({resource(account, "AWS::SQS::Queue", resources.queue_arn)});
  return call;
}

ApiCall get_secret_value(std::string_view secret_arn) {
  return management_call("secretsmanager", "GetSecretValue", true, {{"secretId", secret_arn}});
}

ApiCall get_parameter(std::string_view name) {
  return management_call("ssm", "GetParameter", true, {{"name", name}, {"withDecryption", true}});
}

ApiCall kms_decrypt(const Account& account, std::string_view key_arn) {
  ApiCall call = management_call("kms", "Decrypt", true, {{"encryptionAlgorithm", "SYMMETRIC_DEFAULT"}});
  call.resources = Json::array({resource(account, "AWS::KMS::Key", key_arn)});
  return call;
}

ApiCall get_caller_identity() { return management_call("sts", "GetCallerIdentity", true); }

std::vector<ApiCall> app_startup_calls(const AppResources& resources) {
  return {get_parameter(resources.parameter), get_secret_value(resources.secret_arn)};
}

ApiCall app_service_call(const Account& account, const AppResources& resources, core::UnixTime time, Rng& rng) {
  switch (rng.weighted({25, 10, 20, 8, 10, 8, 8, 3, 1})) {
    case 0: return s3_object_call(account, "GetObject", resources.bucket, object_key(resources.app, time, rng), resources.region, rng);
    case 1: return s3_object_call(account, "PutObject", resources.bucket, object_key(resources.app, time, rng), resources.region, rng);
    case 2: return dynamodb_call(account, resources, "GetItem");
    case 3: return dynamodb_call(account, resources, "PutItem");
    case 4: return dynamodb_call(account, resources, "Query");
    case 5: return sqs_call(account, resources, "SendMessage", rng);
    case 6: return sqs_call(account, resources, "ReceiveMessage", rng);
    case 7: return kms_decrypt(account, resources.kms_key_arn);
    default: return get_caller_identity();
  }
}

}  // namespace keyward::generator
