package dev.samsa.impl.controller;

import dev.samsa.impl.node.Timer;

/** The active controller's periodic check of broker sessions and reconciliation of partitions, tied to its leadership epoch. */
record ControllerTimer(int epoch) implements Timer {}
