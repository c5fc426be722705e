package dev.samsa.impl.broker;

import dev.samsa.impl.node.Timer;

/** The broker lifecycle's timers, tied to the lifecycle generation they were set in. */
record BrokerTimer(Kind kind, long generation) implements Timer {
    enum Kind {
        /** Send (or resend) the registration. */
        REGISTER,
        /** Register again soon after NOT_CONTROLLER, at the hinted controller. */
        REGISTER_RETRY,
        /** Send the next heartbeat. */
        HEARTBEAT
    }
}
