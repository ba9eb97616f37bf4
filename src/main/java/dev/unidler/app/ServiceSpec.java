package dev.unidler.app;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A Service's spec as the idle saves it and the wake gives it back: what decides where
 * its traffic goes. What Kubernetes assigns by itself (the cluster IP) is not part of it.
 *
 * @param type the Service type
 * @param selector the pods it selects
 * @param ports its ports
 * @param routing the other fields that decide how traffic is routed;
 * {@link Routing#UNSET} leaves them to Kubernetes' defaults
 */
public record ServiceSpec(String type, Map<String, String> selector, List<Port> ports, Routing routing) {

	public ServiceSpec {
		selector = Map.copyOf(selector);
		ports = List.copyOf(ports);
	}

	/** A spec that leaves every routing field to Kubernetes' defaults. */
	public ServiceSpec(String type, Map<String, String> selector, List<Port> ports) {
		this(type, selector, ports, Routing.UNSET);
	}

	/**
	 * One Service port.
	 *
	 * @param name the port name, required by Kubernetes when there are several
	 * @param port the Service port
	 * @param targetPort the container port, a number or a name
	 * @param protocol TCP, UDP or SCTP
	 * @param appProtocol the application protocol, if it is given
	 */
	public record Port(@Nullable String name, int port, String targetPort, String protocol,
			@Nullable String appProtocol) {

		public Port(@Nullable String name, int port, String targetPort, String protocol) {
			this(name, port, targetPort, protocol, null);
		}

	}

	/**
	 * The fields beyond type, selector and ports that change where a request lands; each
	 * {@code null} (or empty) when not set.
	 *
	 * @param headless whether the Service is headless ({@code clusterIP: None}): the one
	 * cluster IP value that is chosen rather than assigned
	 * @param sessionAffinity {@code None} or {@code ClientIP}
	 * @param sessionAffinityTimeoutSeconds how long a client sticks to a pod
	 * @param publishNotReadyAddresses whether pods count before they are ready
	 * @param internalTrafficPolicy {@code Cluster} or {@code Local}
	 * @param trafficDistribution a preference such as {@code PreferClose}
	 * @param ipFamilyPolicy single or dual stack
	 * @param ipFamilies the IP families, in order
	 */
	public record Routing(boolean headless, @Nullable String sessionAffinity,
			@Nullable Integer sessionAffinityTimeoutSeconds, @Nullable Boolean publishNotReadyAddresses,
			@Nullable String internalTrafficPolicy, @Nullable String trafficDistribution,
			@Nullable String ipFamilyPolicy, List<String> ipFamilies) {

		/** Nothing set: Kubernetes' defaults. */
		public static final Routing UNSET = new Routing(false, null, null, null, null, null, null, List.of());

		public Routing {
			ipFamilies = List.copyOf(ipFamilies);
		}

	}

}
