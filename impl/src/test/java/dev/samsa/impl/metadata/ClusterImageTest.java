package dev.samsa.impl.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterImageTest {

    @Test
    void aBrokerEpochIsTheOffsetOfItsRegistrationAndStartsFenced() {
        ClusterImage img = new ClusterImage();
        img.apply(4, new RegisterBrokerRecord(1, 77));
        assertThat(img.broker(1)).contains(new BrokerRegistration(1, 4, 77, true));
        img.apply(5, new UnfenceBrokerRecord(1, 4));
        assertThat(img.broker(1).orElseThrow().fenced()).isFalse();
        img.apply(9, new FenceBrokerRecord(1, 4));
        assertThat(img.broker(1).orElseThrow().fenced()).isTrue();
    }

    @Test
    void recordsForAnOlderIncarnationChangeNothing() {
        ClusterImage img = new ClusterImage();
        img.apply(1, new RegisterBrokerRecord(1, 10));
        img.apply(2, new RegisterBrokerRecord(1, 11)); // restarted: new epoch 2
        img.apply(3, new UnfenceBrokerRecord(1, 1)); // stale: for epoch 1
        assertThat(img.broker(1).orElseThrow()).isEqualTo(new BrokerRegistration(1, 2, 11, true));
    }

    @Test
    void offsetsMustBeAppliedInOrder() {
        ClusterImage img = new ClusterImage();
        img.apply(3, new RegisterBrokerRecord(1, 10));
        assertThatThrownBy(() -> img.apply(3, new RegisterBrokerRecord(2, 10))).hasMessageContaining("applied after");
        assertThatThrownBy(() -> img.skip(2)).hasMessageContaining("skipped after");
    }

    @Test
    void sessionsExpireAfterTheTimeoutAndANewControllerStartsThemAfresh() {
        ClusterImage img = new ClusterImage();
        img.apply(0, new RegisterBrokerRecord(1, 1));
        img.apply(1, new UnfenceBrokerRecord(1, 0));
        BrokerHeartbeatTracker t = new BrokerHeartbeatTracker(9_000);
        t.resetAll(img, 1_000);
        assertThat(t.expired(img, 10_000)).isEmpty();
        assertThat(t.expired(img, 10_001)).extracting(BrokerRegistration::brokerId).containsExactly(1);
        t.touch(1, 0, 10_001);
        assertThat(t.expired(img, 19_000)).isEmpty();
        t.resetAll(img, 50_000);
        assertThat(t.expired(img, 59_000)).isEmpty();
    }

    @Test
    void aHeartbeatUnderAnOldEpochDoesNotKeepTheNewIncarnationAlive() {
        ClusterImage img = new ClusterImage();
        img.apply(0, new RegisterBrokerRecord(1, 1));
        img.apply(1, new UnfenceBrokerRecord(1, 0));
        BrokerHeartbeatTracker t = new BrokerHeartbeatTracker(100);
        t.touch(1, 0, 0);
        img.apply(2, new RegisterBrokerRecord(1, 2));
        img.apply(3, new UnfenceBrokerRecord(1, 2));
        t.touch(1, 0, 150); // stale epoch: the tracker keys the session by epoch
        assertThat(t.expired(img, 160)).isEmpty(); // first sight of epoch 2 starts its clock
        assertThat(t.expired(img, 261)).extracting(BrokerRegistration::epoch).containsExactly(2L);
    }
}
