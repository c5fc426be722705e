package dev.samsa.harness.workload;

import dev.samsa.harness.workload.kraft.KraftWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every workload by name. */
public final class Workloads {

    private Workloads() {}

    public static List<Workload> all() {
        List<Workload> all = new ArrayList<>();
        all.add(new KraftWorkload());
        all.add(new dev.samsa.harness.workload.queue.QueueWorkload());
        all.add(new dev.samsa.harness.workload.groups.GroupsWorkload());
        all.add(new dev.samsa.harness.workload.txn.TxnWorkload());
        all.add(new dev.samsa.harness.workload.eos.EosWorkload());
        return all;
    }

    public static Optional<Workload> find(String name) {
        for (Workload w : all()) {
            if (w.name().equals(name)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Workload w : all()) {
            names.add(w.name());
        }
        return names;
    }
}
