"""limitlab's domain: money, policy, loans, scoring, limits, the engine, explanations, the store."""
