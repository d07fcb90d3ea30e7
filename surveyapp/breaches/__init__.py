"""The contract's breach ledger: terms, the monthly register, fees, the client's review and
the monthly statement (clauses 三, 五, 六; annexes 二, 四, 七)."""
