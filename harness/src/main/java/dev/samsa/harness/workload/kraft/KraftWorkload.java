package dev.samsa.harness.workload.kraft;

import dev.samsa.harness.fault.FaultBudget;
import dev.samsa.harness.fault.FaultFamily;
import dev.samsa.harness.fault.TargetOracle;
import dev.samsa.harness.run.Phase;
import dev.samsa.harness.sim.Role;
import dev.samsa.harness.sim.Simulation;
import dev.samsa.harness.workload.LeaderTimeline;
import dev.samsa.harness.workload.Workload;
import dev.samsa.harness.workload.WorkloadRun;
import dev.samsa.impl.broker.BrokerNode;
import dev.samsa.impl.controller.ControllerNode;
import dev.samsa.reports.timeline.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The KRaft controller quorum under faults: {@code sim.controllers} voters (node ids 3000…),
 * {@code sim.brokers} brokers (0…) that register and heartbeat (KIP-631), and
 * {@code sim.clients} clients writing metadata records through whichever controller they
 * believe is active and reading the committed log.
 */
public final class KraftWorkload implements Workload {

    public static final int FIRST_CONTROLLER_ID = 3000;
    public static final int FIRST_CLIENT_ID = 10_000;

    @Override
    public String name() {
        return "kraft";
    }

    @Override
    public String description() {
        return "KRaft controller quorum: clients write metadata records through the active controller and read the committed log; brokers register and heartbeat";
    }

    @Override
    public List<String> declaredPaths() {
        return List.of("raft.leader-elected", "raft.fetch-timeout", "raft.truncate-diverging-suffix", "raft.check-quorum-resign",
                "controller.write-deduplicated", "controller.broker-registered", "controller.fence-broker-session-expired",
                "broker.re-register-stale-epoch");
    }

    @Override
    public WorkloadRun start(Simulation sim) {
        int nControllers = sim.settings().getInt("sim.controllers");
        int nBrokers = sim.settings().getInt("sim.brokers");
        int nClients = sim.settings().getInt("sim.clients");
        if (nControllers < 1 || nBrokers < 0 || nClients < 1) {
            throw new IllegalArgumentException("kraft needs sim.controllers >= 1, sim.brokers >= 0, sim.clients >= 1");
        }
        List<Integer> voters = new ArrayList<>();
        for (int i = 0; i < nControllers; i++) {
            voters.add(FIRST_CONTROLLER_ID + i);
        }
        List<Integer> brokers = new ArrayList<>();
        for (int i = 0; i < nBrokers; i++) {
            brokers.add(i);
        }
        Run run = new Run(sim, voters, brokers);
        for (int id : voters) {
            sim.addNode(id, "ctrl-" + id, Role.CONTROLLER, ctx -> new ControllerNode(ctx, voters));
        }
        for (int id : brokers) {
            sim.addNode(id, "broker-" + id, Role.BROKER, ctx -> new BrokerNode(ctx, voters));
        }
        for (int i = 0; i < nClients; i++) {
            int process = i;
            sim.addNode(FIRST_CLIENT_ID + i, "client-" + i, Role.CLIENT, ctx -> {
                KraftClient c = new KraftClient(ctx, process, voters, run.history, () -> run.issuing);
                run.clients.add(c);
                return c;
            });
        }
        sim.addEventCheck(run.checks::afterEvent);
        sim.addEventCheck(() -> run.controllers.observe(sim, run.checks.currentLeader()));
        if (sim.tracing()) {
            sim.addEventCheck(run::traceStatus);
        }
        return run;
    }

    private static final class Run implements WorkloadRun {
        final Simulation sim;
        final KraftHistory history = new KraftHistory();
        final KraftChecks checks;
        final List<KraftClient> clients = new ArrayList<>();
        final LeaderTimeline controllers = new LeaderTimeline();
        boolean issuing = true;
        String lastSignature = "";

        Run(Simulation sim, List<Integer> voters, List<Integer> brokers) {
            this.sim = sim;
            this.checks = new KraftChecks(sim, voters, brokers);
        }

        void traceStatus() {
            String sig = checks.roleSignature();
            if (!sig.equals(lastSignature)) {
                lastSignature = sig;
                sim.trace(checks.status());
            }
        }

        @Override
        public TargetOracle targetOracle() {
            return () -> checks.currentLeader().map(OptionalInt::of).orElse(OptionalInt.empty());
        }

        @Override
        public FaultBudget faultBudget() {
            // Raft survives any number of crashes and power losses (it fsyncs before acknowledging),
            // but not a voter that forgets its log and votes: wiping a controller is beyond the promise.
            return (family, nodeId, s) -> family != FaultFamily.WIPE || s.role(nodeId) != Role.CONTROLLER;
        }

        @Override
        public boolean outsidePromise() {
            return checks.anyControllerWiped();
        }

        @Override
        public void onPhase(Phase phase) {
            if (phase == Phase.QUIESCE) {
                issuing = false;
            }
        }

        @Override
        public void finish() {
            for (KraftClient c : clients) {
                c.abandon();
            }
            checks.atEnd(history);
        }

        @Override
        public List<Timeline.Row> timelineClients() {
            TreeMap<Integer, List<Timeline.Op>> byProcess = new TreeMap<>();
            for (KraftOp op : history.ops()) {
                byProcess.computeIfAbsent(op.process(), k -> new ArrayList<>()).add(new Timeline.Op(op.invokeNanos(), op.completeNanos(),
                        Timeline.Outcome.valueOf(op.outcome().name()), op.type().name().toLowerCase(Locale.ROOT), detail(op)));
            }
            List<Timeline.Row> rows = new ArrayList<>();
            byProcess.forEach((process, ops) -> rows.add(new Timeline.Row(sim.name(FIRST_CLIENT_ID + process), ops)));
            return rows;
        }

        private static String detail(KraftOp op) {
            String what = switch (op.type()) {
                case WRITE -> "writeId " + op.writeId() + (op.offset() >= 0 ? " at offset " + op.offset() : "");
                case READ -> "read from offset " + op.readFrom() + ": " + op.readWriteIds().size() + " entries"
                        + (op.readWriteIds().size() <= 20 ? ", writeIds " + op.readWriteIds() : "");
            };
            return "#" + op.index() + " " + what + (op.error().isEmpty() ? "" : "; error " + op.error());
        }

        @Override
        public List<Timeline.Lane> timelineLanes(long endNanos) {
            return List.of(controllers.lane(sim, endNanos));
        }

        @Override
        public NavigableMap<String, Long> stats() {
            TreeMap<String, Long> m = new TreeMap<>();
            for (KraftOp op : history.ops()) {
                m.merge(op.type().name().toLowerCase() + "." + op.outcome().name().toLowerCase(), 1L, Long::sum);
            }
            return m;
        }
    }
}
