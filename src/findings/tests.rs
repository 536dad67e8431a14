//! Rule tests over the scenario logs.
