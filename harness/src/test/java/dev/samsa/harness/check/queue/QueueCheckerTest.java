package dev.samsa.harness.check.queue;

import static dev.samsa.harness.check.queue.H.p;
import static dev.samsa.harness.check.queue.H.r;
import static dev.samsa.harness.check.queue.H.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.samsa.harness.check.queue.QueueCheckResult.Anomaly;
import dev.samsa.harness.workload.queue.QueueOp.Outcome;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueueCheckerTest {

    static final QueuePromise STRICT = QueuePromise.strict();
    static final String ACKS1 = "acks=1: a leader may fail before followers copy the record";
    static final String NO_IDEMPOTENCE = "enable.idempotence=false: retries may write twice";

    static QueueCheckResult check(H h) {
        return QueueChecker.check(h.ops(), STRICT);
    }

    static QueueCheckResult check(H h, QueuePromise promise) {
        return QueueChecker.check(h.ops(), promise);
    }

    /** The ids with a judgement: {@code queue.lost-write!} violated, {@code queue.lost-write~} expected. */
    static List<String> ids(QueueCheckResult r) {
        return r.anomalies().stream().map(a -> a.invariantId() + (a.expected() ? "~" : "!")).toList();
    }

    static Anomaly the(QueueCheckResult r, String id, boolean expected) {
        return r.anomalies().stream().filter(a -> a.invariantId().equals(id) && a.expected() == expected).findFirst()
                .orElseThrow(() -> new AssertionError("no " + (expected ? "expected " : "violated ") + id + " in " + r.anomalies()));
    }

    /** Three records on key 0 at offsets 0..2, values 10..12, by process 1. */
    static H threeSent() {
        return new H().send(1, s(0, 10, 0), s(0, 11, 1), s(0, 12, 2));
    }

    @Test
    void aCleanHistoryHasNoAnomaliesAndItsCounts() {
        QueueCheckResult r = check(threeSent().send(2, Outcome.FAIL, s(0, 13, -1)).poll(5, p(0, 0, 10), p(0, 1, 11)).poll(5, p(0, 2, 12)));
        assertThat(r.anomalies()).isEmpty();
        assertThat(r.ok()).isTrue();
        assertThat(r.counts().ops()).isEqualTo(4);
        assertThat(r.counts().opsByTypeOutcome()).containsEntry("send ok", 1).containsEntry("send fail", 1).containsEntry("poll ok", 2);
        assertThat(r.counts().valuesSent()).isEqualTo(4);
        assertThat(r.counts().valuesAcked()).isEqualTo(3);
        assertThat(r.counts().valuesRead()).isEqualTo(3);
        assertThat(r.counts().lost() + r.counts().unseen() + r.counts().duplicates()).isZero();
    }

    @Nested
    class LostWriteAndUnseen {

        /** Process 9 starts reading at offset 2 (its first read: no skip to judge), so only the durability anomaly shows. */
        H lostAtOffset1() {
            return threeSent().poll(5, p(0, 0, 10)).poll(9, p(0, 2, 12));
        }

        @Test
        void aRecordEveryReaderJumpedOverByAutoOffsetResetIsExcused() {
            // both consumers read offset 0, then jumped from 1 to 2 (auto.offset.reset=latest after OFFSET_OUT_OF_RANGE)
            H h = threeSent().poll(5, p(0, 0, 10)).poll(6, p(0, 0, 10))
                    .poll(5, Outcome.OK, java.util.List.of(p(0, 2, 12)), java.util.List.of(r(0, 1, 2)))
                    .poll(6, Outcome.OK, java.util.List.of(p(0, 2, 12)), java.util.List.of(r(0, 1, 2)));
            QueueCheckResult r = check(h);
            assertThat(ids(r)).containsExactly("queue.lost-write~");
            assertThat(the(r, "queue.lost-write", true).whyExpected()).contains("auto.offset.reset");
        }

        @Test
        void aRecordOneReaderJumpedOverButAnotherShouldHaveReadIsLost() {
            H h = threeSent().poll(5, p(0, 0, 10)).poll(6, p(0, 0, 10))
                    .poll(5, Outcome.OK, java.util.List.of(p(0, 2, 12)), java.util.List.of(r(0, 1, 2)))
                    .poll(6, p(0, 2, 12));
            assertThat(ids(check(h))).contains("queue.lost-write!");
        }

        @Test
        void anAcknowledgedSendBelowTheHighestReadThatNobodyReadIsLost() {
            QueueCheckResult r = check(lostAtOffset1());
            assertThat(ids(r)).containsExactly("queue.lost-write!");
            assertThat(the(r, "queue.lost-write", false).evidence())
                    .contains("key 0 value 11 acknowledged at offset 1 by process 1 op #0 (send ok) was never read")
                    .contains("process 9 op #2 (poll ok) read up to offset 2 (value 12)");
            assertThat(r.counts().lost()).isEqualTo(1);
            assertThat(r.ok()).isFalse();
        }

        @Test
        void aSendAboveTheHighestReadIsUnseenNotLost() {
            QueueCheckResult r = check(threeSent().poll(5, p(0, 0, 10), p(0, 1, 11)));
            assertThat(ids(r)).containsExactly("queue.unseen!");
            assertThat(the(r, "queue.unseen", false).evidence()).contains("key 0 value 12 acknowledged at offset 2").contains("reads of key 0 reached offset 1");
            assertThat(r.counts().unseen()).isEqualTo(1);
            assertThat(r.counts().lost()).isZero();
        }

        @Test
        void unseenIsJudgedOnlyAfterFinalReads() {
            QueueCheckResult r = check(threeSent().poll(5, p(0, 0, 10), p(0, 1, 11)), STRICT.withFinalReadsDone(false));
            assertThat(r.anomalies()).isEmpty();
        }

        @Test
        void anUnknownOffsetNobodyReadIsUnseen() {
            QueueCheckResult r = check(new H().send(1, s(3, 10, -1)));
            assertThat(the(r, "queue.unseen", false).evidence()).contains("offset unknown").contains("nobody read key 3");
        }

        @Test
        void bothAreExpectedWhenTheRunIsNotDurable() {
            QueuePromise acks1 = STRICT.withDurable(false, ACKS1);
            QueueCheckResult lost = check(lostAtOffset1(), acks1);
            assertThat(ids(lost)).containsExactly("queue.lost-write~");
            assertThat(the(lost, "queue.lost-write", true).whyExpected()).isEqualTo(ACKS1);
            assertThat(lost.ok()).isTrue();
            QueueCheckResult unseen = check(threeSent(), acks1);
            assertThat(ids(unseen)).containsExactly("queue.unseen~");
        }

        @Test
        void recordsBelowTheRetentionHorizonAreExcused() {
            QueueCheckResult below = check(lostAtOffset1(), STRICT.withRetentionHorizon(0, 2));
            assertThat(ids(below)).containsExactly("queue.lost-write~");
            assertThat(the(below, "queue.lost-write", true).whyExpected()).isEqualTo(QueueChecker.RETENTION);
            QueueCheckResult at = check(lostAtOffset1(), STRICT.withRetentionHorizon(0, 1));
            assertThat(ids(at)).containsExactly("queue.lost-write!");
            QueueCheckResult otherKey = check(lostAtOffset1(), STRICT.withRetentionHorizon(1, 5));
            assertThat(ids(otherKey)).containsExactly("queue.lost-write!");
            QueueCheckResult unseen = check(threeSent(), STRICT.withRetentionHorizon(0, 2));
            assertThat(ids(unseen)).containsExactly("queue.unseen!", "queue.unseen~");
        }

        @Test
        void failedAndIndefiniteSendsNeverCount() {
            H h = new H().send(1, Outcome.INFO, s(0, 10, -1)).send(1, Outcome.INFO, s(0, 11, 0)).send(1, Outcome.FAIL, s(0, 12, -1))
                    .send(1, s(0, 13, 1)).poll(9, p(0, 1, 13));
            QueueCheckResult r = check(h);
            assertThat(r.anomalies()).isEmpty();
            assertThat(r.counts().valuesSent()).isEqualTo(4);
            assertThat(r.counts().valuesAcked()).isEqualTo(1);
        }
    }

    @Nested
    class VersionOrder {

        @Test
        void twoValuesAtOneOffsetAreInconsistent() {
            QueueCheckResult r = check(new H().send(1, s(0, 10, 0)).poll(5, p(0, 0, 99)).poll(6, p(0, 0, 10)));
            assertThat(ids(r)).containsExactly("queue.inconsistent-offsets!");
            assertThat(the(r, "queue.inconsistent-offsets", false).evidence())
                    .contains("key 0 offset 0 holds value 10 (sent by process 1 op #0 (send ok)) and value 99 (read by process 5 op #1 (poll ok))");
            assertThat(ids(check(new H().send(1, s(0, 10, 0)).poll(5, p(0, 0, 99)).poll(6, p(0, 0, 10)), STRICT.withDurable(false, ACKS1))))
                    .containsExactly("queue.inconsistent-offsets~");
        }

        @Test
        void oneValueAtTwoOffsetsIsADuplicate() {
            H h = new H().send(1, s(0, 10, 0), s(0, 10, 1)).poll(5, p(0, 0, 10), p(0, 1, 10));
            QueueCheckResult r = check(h);
            assertThat(ids(r)).containsExactly("queue.duplicate!");
            assertThat(the(r, "queue.duplicate", false).evidence()).contains("key 0 value 10 at 2 offsets: offset 0 (sent by process 1 op #0 (send ok)) and offset 1");
            assertThat(r.counts().duplicates()).isEqualTo(1);
            QueueCheckResult noIdem = check(h, STRICT.withIdempotent(false, NO_IDEMPOTENCE));
            assertThat(ids(noIdem)).containsExactly("queue.duplicate~");
            assertThat(the(noIdem, "queue.duplicate", true).whyExpected()).isEqualTo(NO_IDEMPOTENCE);
        }

        @Test
        void aDuplicateSeenOnlyByPollsCounts() {
            QueueCheckResult r = check(new H().send(1, s(0, 10, 0)).poll(5, p(0, 0, 10), p(0, 1, 10)));
            assertThat(ids(r)).containsExactly("queue.duplicate!");
        }
    }

    @Nested
    class SendOrder {

        @Test
        void aLaterSendAtALowerOffsetIsNonmonotonic() {
            H h = new H().send(1, s(0, 10, 5)).send(2, s(0, 20, 3)).send(1, s(0, 11, 4)).poll(9, p(0, 3, 20), p(0, 4, 11), p(0, 5, 10));
            QueueCheckResult r = check(h);
            assertThat(ids(r)).containsExactly("queue.nonmonotonic-send!");
            assertThat(the(r, "queue.nonmonotonic-send", false).evidence())
                    .contains("process 1 key 0: value 10 landed at offset 5 in op #0, then value 11 at offset 4 in the later op #2");
            assertThat(ids(check(h, STRICT.withIdempotent(false, NO_IDEMPOTENCE)))).containsExactly("queue.nonmonotonic-send~");
            assertThat(ids(check(h, STRICT.withDurable(false, ACKS1)))).containsExactly("queue.nonmonotonic-send~");
        }

        @Test
        void increasingOrOverlappingSendsAreNot() {
            H increasing = new H().send(1, s(0, 10, 0)).send(1, s(0, 11, 1)).poll(9, p(0, 0, 10), p(0, 1, 11));
            assertThat(check(increasing).anomalies()).isEmpty();
            H overlapping = new H().send(1, s(0, 10, 1)).sendOverlapping(1, s(0, 11, 0)).poll(9, p(0, 0, 11), p(0, 1, 10));
            assertThat(check(overlapping).anomalies()).isEmpty();
            H otherKeys = new H().send(1, s(0, 10, 5)).send(1, s(1, 11, 0)).poll(9, p(0, 5, 10), p(1, 0, 11));
            assertThat(check(otherKeys).anomalies()).isEmpty();
        }

        @Test
        void goingBackWithinOneOperationIsIntNonmonotonicSend() {
            QueueCheckResult r = check(new H().send(1, s(0, 10, 1), s(0, 11, 0)).poll(9, p(0, 0, 11), p(0, 1, 10)));
            assertThat(ids(r)).containsExactly("queue.nonmonotonic-send!");
            assertThat(the(r, "queue.nonmonotonic-send", false).evidence()).contains("(int-nonmonotonic-send) key 0: value 10 at offset 1 was followed by value 11 at offset 0");
        }

        @Test
        void anotherProducersRecordInsideABatchIsAnExpectedIntSendSkip() {
            H h = new H().send(1, s(0, 10, 0), s(0, 11, 2)).send(2, s(0, 20, 1)).poll(9, p(0, 0, 10), p(0, 1, 20), p(0, 2, 11));
            QueueCheckResult r = check(h);
            assertThat(ids(r)).containsExactly("queue.int-send-skip~");
            Anomaly a = the(r, "queue.int-send-skip", true);
            assertThat(a.whyExpected()).isEqualTo("concurrent producers interleave batches");
            assertThat(a.evidence()).contains("key 0: value 10 at offset 0 and the next value 11 at offset 2 have 1 other record(s) between them, first at offset 1");
            assertThat(r.ok()).isTrue();
            // A gap nobody saw a record in (a transaction marker, say) is no skip.
            assertThat(check(new H().send(1, s(0, 10, 0), s(0, 11, 2)).poll(9, p(0, 0, 10), p(0, 2, 11))).anomalies()).isEmpty();
        }
    }

    @Nested
    class PollOrder {

        /** Four records on key 0, offsets 0..3, values 10..13, all read by process 9 (no durability anomaly). */
        H four() {
            return new H().send(1, s(0, 10, 0), s(0, 11, 1), s(0, 12, 2), s(0, 13, 3)).poll(9, p(0, 0, 10), p(0, 1, 11), p(0, 2, 12), p(0, 3, 13));
        }

        @Test
        void aNextPollThatStartsPastTheNextRecordSkips() {
            QueueCheckResult r = check(four().poll(5, p(0, 0, 10), p(0, 1, 11)).poll(5, p(0, 3, 13)));
            assertThat(ids(r)).containsExactly("queue.poll-skip!");
            assertThat(the(r, "queue.poll-skip", false).evidence()).contains(
                    "process 5 key 0: after offset 1 (value 11, op #2) its next poll returned offset 3 (value 13, op #3): skipped 1 known record(s), first at offset 2");
            assertThat(check(four().poll(5, p(0, 0, 10), p(0, 1, 11)).poll(5, p(0, 2, 12), p(0, 3, 13))).anomalies()).isEmpty();
            assertThat(ids(check(four().poll(5, p(0, 0, 10), p(0, 1, 11)).poll(5, p(0, 3, 13)), STRICT.withDurable(false, ACKS1))))
                    .containsExactly("queue.poll-skip~");
        }

        @Test
        void aNextPollThatStartsAtOrBeforeThePreviousEndIsNonmonotonic() {
            QueueCheckResult r = check(four().poll(5, p(0, 0, 10), p(0, 1, 11)).poll(5, p(0, 1, 11), p(0, 2, 12)));
            assertThat(ids(r)).containsExactly("queue.nonmonotonic-poll!");
            assertThat(the(r, "queue.nonmonotonic-poll", false).evidence()).contains("after offset 1 (value 11, op #2) its next poll returned offset 1 (value 11, op #3): went back");
            assertThat(ids(check(four().poll(5, p(0, 0, 10), p(0, 1, 11)).poll(5, p(0, 1, 11)), STRICT.withDurable(false, ACKS1))))
                    .containsExactly("queue.nonmonotonic-poll~");
        }

        @Test
        void recordsBelowTheRetentionHorizonAreNotSkipped() {
            H h = four().poll(5, p(0, 0, 10)).poll(5, p(0, 3, 13));
            assertThat(check(h, STRICT.withRetentionHorizon(0, 3)).anomalies()).isEmpty();
            QueueCheckResult partly = check(h, STRICT.withRetentionHorizon(0, 2));
            assertThat(ids(partly)).containsExactly("queue.poll-skip!");
            assertThat(the(partly, "queue.poll-skip", false).evidence()).contains("skipped 1 known record(s), first at offset 2");
        }

        @Test
        void anAssignRestartsTracking() {
            assertThat(check(four().poll(5, p(0, 0, 10)).assign(5, 0).poll(5, p(0, 3, 13))).anomalies()).isEmpty();
            assertThat(ids(check(four().poll(5, p(0, 0, 10)).assign(6, 0).poll(5, p(0, 3, 13))))).containsExactly("queue.poll-skip!");
        }

        @Test
        void aResetMovesTheExpectedPosition() {
            H forward = four().poll(5, p(0, 0, 10)).poll(5, Outcome.OK, List.of(p(0, 3, 13)), List.of(r(0, 1, 3)));
            assertThat(check(forward).anomalies()).isEmpty();
            H back = four().poll(5, p(0, 0, 10), p(0, 1, 11), p(0, 2, 12)).poll(5, Outcome.OK, List.of(p(0, 1, 11)), List.of(r(0, 3, 1)));
            assertThat(check(back).anomalies()).isEmpty();
            H carried = four().poll(5, p(0, 0, 10)).poll(5, Outcome.OK, List.of(), List.of(r(0, 1, 3))).poll(5, p(0, 3, 13));
            assertThat(check(carried).anomalies()).isEmpty();
        }

        @Test
        void aResetDoesNotExcuseASkipPastItsTarget() {
            H h = four().poll(5, p(0, 0, 10)).poll(5, Outcome.OK, List.of(p(0, 3, 13)), List.of(r(0, 1, 2)));
            QueueCheckResult r = check(h);
            assertThat(ids(r)).containsExactly("queue.poll-skip!");
            assertThat(the(r, "queue.poll-skip", false).evidence()).contains("after offset 0 (value 10, op #2)");
            H fromReset = four().poll(5, Outcome.OK, List.of(), List.of(r(0, 0, 1))).poll(5, p(0, 3, 13));
            assertThat(the(check(fromReset), "queue.poll-skip", false).evidence())
                    .contains("after a reset to offset 1 (auto.offset.reset=earliest, op #2)").contains("skipped 2 known record(s), first at offset 1");
            // Its own operation's reset may have come after a first record: not judged.
            assertThat(check(four().poll(5, Outcome.OK, List.of(p(0, 3, 13)), List.of(r(0, 0, 1)))).anomalies()).isEmpty();
        }

        @Test
        void inOnePollRecordsMustBeConsecutive() {
            QueueCheckResult skip = check(four().poll(5, p(0, 0, 10), p(0, 2, 12)));
            assertThat(ids(skip)).containsExactly("queue.int-poll-skip!");
            assertThat(the(skip, "queue.int-poll-skip", false).evidence()).contains(
                    "within process 5 op #2 (poll ok) (int-poll-skip) key 0: offset 0 (value 10, op #2) was followed by offset 2 (value 12, op #2): skipped 1 known record(s)");
            QueueCheckResult back = check(four().poll(5, p(0, 2, 12), p(0, 1, 11)));
            assertThat(ids(back)).containsExactly("queue.int-poll-skip!");
            assertThat(the(back, "queue.int-poll-skip", false).evidence()).contains("(int-nonmonotonic-poll)").contains("went back");
            assertThat(ids(check(four().poll(5, p(0, 0, 10), p(0, 2, 12)), STRICT.withDurable(false, ACKS1)))).containsExactly("queue.int-poll-skip!");
            assertThat(check(four().poll(5, p(0, 0, 10), p(0, 1, 11), p(1, 7, 70), p(0, 2, 12))).anomalies()).isEmpty();
        }

        @Test
        void aResetInsideOnePollExcusesOneJump() {
            H h = four().poll(5, Outcome.OK, List.of(p(0, 0, 10), p(0, 2, 12), p(0, 3, 13)), List.of(r(0, 1, 2)));
            assertThat(check(h).anomalies()).isEmpty();
            H twice = four().poll(5, Outcome.OK, List.of(p(0, 0, 10), p(0, 2, 12), p(0, 1, 11), p(0, 3, 13)), List.of(r(0, 1, 2)));
            assertThat(ids(check(twice))).containsExactly("queue.int-poll-skip!");
        }

        @Test
        void anIndefinitePollIsCheckedInsideButRestartsTracking() {
            H h = four().poll(5, p(0, 0, 10)).poll(5, Outcome.INFO, List.of(p(0, 2, 12)), List.of()).poll(5, p(0, 3, 13));
            assertThat(check(h).anomalies()).isEmpty();
            H inside = four().poll(5, Outcome.INFO, List.of(p(0, 0, 10), p(0, 3, 13)), List.of());
            assertThat(ids(check(inside))).containsExactly("queue.int-poll-skip!");
        }
    }
}
