#pragma once

// Tells a person using their own IAM user key from home or the office apart from a key used
// somewhere new, for the network detectors. People change ISPs, laptops and offices, so their
// keys meet new networks far more often than workloads' keys do.

#include <string>

#include "core/event.hpp"
#include "core/model.hpp"
#include "detect/detector.hpp"

namespace keyward::detect::aws {

// True for the AWS CLI and the AWS SDKs as enrich/user_agent.cpp names their families.
bool is_ordinary_aws_client(const core::EventEnrichment& enrichment);

// True when the inventory shows a person behind the IAM user. That is a user classified human, or
// an unclassified user whose console password was used within kRecentConsoleUseDays of `time`.
// Workloads do not sign in to the console, so recent console use shows a person even when MFA is
// off, which is why the credential report classifier left the user unclassified.
bool is_person_user(const core::Identity& user, core::UnixTime time);

// True when the network is where a person plausibly works: a residential or mobile ISP, or a
// network that data/cloud-asns.csv does not classify and that at least three other entities of
// the organization used before. That file lists few consumer ISPs, so most home networks are
// unclassified, while a rented server new to the organization is rare for it. `asn` is "AS7922".
bool is_everyday_network(const core::EventEnrichment& enrichment, const std::string& asn, DetectContext& ctx);

// True when a person uses their own IAM user from where they work: an everyday network, a console
// sign-in or an ordinary AWS client, and an IAM user that the inventory shows a person uses.
bool is_owner_on_everyday_network(const core::Event& event, const std::string& asn, DetectContext& ctx);

}  // namespace keyward::detect::aws
