// Benefit and collection events for a generated household (benefits.md §10.2):
// an evaluation date, claims with their window payments, 特定疾病 and
// pharmacy rows, a 高額療養費 history, meals of hospital stays, births,
// funerals, the installments as notified with on-time, late and part
// payments, 督促状 and refunds. Deterministic in (seed, household index), as
// the households themselves are (population.h).
#pragma once
#include <cstdint>
#include <string>

namespace shiki::population {

// Adds the events to one household line (household.md's input, as
// Generator::household writes it) and returns the new line. Events are only
// placed where the contract allows them: claims and meals in months and on
// days the person is an NHI member, births and deaths of NHI members.
std::string with_benefit_events(const std::string& household, std::uint64_t seed, std::uint64_t index);

}  // namespace shiki::population
