package dev.unidler.idle;

import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import dev.unidler.app.Cluster;
import dev.unidler.app.IdledMetadata;
import dev.unidler.app.SavedServiceSpecs;
import dev.unidler.app.UnidlerNames;
import dev.unidler.operation.StepDescription;

import org.springframework.stereotype.Component;

/**
 * The steps of an idle, in the one order that is safe while requests keep coming:
 * <ol>
 * <li>{@link MarkIdledStep mark the Deployment idled} (replicas it had, when, the idled
 * label) while its pods still serve. From here on, any unidler that sees the app, this
 * one or the old one, finds the replica count to restore written down rather than
 * guessed.</li>
 * <li>{@link PointServiceStep send the Service's traffic to the unidler}, saving its spec
 * in the same write, so that the spec is never lost and never half-saved. The pods still
 * run, so no request in between finds nothing to answer it: until this write lands they
 * answer, after it the unidler does.</li>
 * <li>{@link ScaleDownStep scale the Deployment to zero}, last, once no traffic can reach
 * its pods.</li>
 * </ol>
 * A request that reaches the unidler after step 2 asks for a wake, which waits for the
 * idle to end (the app's claim and Lease) and then wakes it from a complete idled state:
 * a wake never runs between these steps. Each step reads before it writes and does
 * nothing when its part is done, so an idle cut short anywhere is finished by the next
 * idle, or undone by the next wake.
 */
@Component
final class IdleSteps {

	private final List<IdleStep> steps;

	IdleSteps(Cluster cluster, IdledMetadata idled, SavedServiceSpecs specs, UnidlerNames unidlerNames) {
		this.steps = List.of(new MarkIdledStep(cluster, idled, Clock.systemUTC()),
				new PointServiceStep(cluster, specs, unidlerNames), new ScaleDownStep(cluster));
	}

	List<IdleStep> steps() {
		return this.steps;
	}

	/** Every step, as a client lists them. */
	List<StepDescription> describe() {
		return Stream
			.concat(Stream.of(StepDescription.LOCATE),
					this.steps.stream().map((step) -> new StepDescription(step.name(), step.description())))
			.toList();
	}

}
