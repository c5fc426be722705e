package dev.samsa.lin;

/** A verdict. UNKNOWN means the check timed out: it never stands for a wrong answer. */
public enum CheckResult {
    OK,
    ILLEGAL,
    UNKNOWN
}
