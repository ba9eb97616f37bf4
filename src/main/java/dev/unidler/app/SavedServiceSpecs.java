package dev.unidler.app;

import java.util.List;
import java.util.Map;

import dev.unidler.UnidlerProperties;
import dev.unidler.operation.FailureReason;
import dev.unidler.operation.OperationFailure;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The saved-spec annotation, both ways: the idle writes a Service's spec into it (the
 * part of a Service's {@code spec} that routes traffic, as JSON, in Kubernetes' own field
 * names), and the wake decides the spec a Service gets back: the saved one, else the
 * compatible default of an app idled by the old idler, which saved nothing.
 */
@Component
public final class SavedServiceSpecs {

	private final JsonMapper json;

	private final String annotation;

	private final UnidlerProperties.Service defaults;

	public SavedServiceSpecs(JsonMapper json, UnidlerProperties properties) {
		this.json = json;
		this.annotation = properties.annotations().serviceSpec();
		this.defaults = properties.service();
	}

	public String annotation() {
		return this.annotation;
	}

	/** The annotation's value for a spec: what {@link #restoreFor} reads back. */
	public String write(ServiceSpec spec) {
		ObjectNode saved = this.json.createObjectNode();
		saved.put("type", spec.type());
		ObjectNode selector = saved.putObject("selector");
		spec.selector()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.forEach((label) -> selector.put(label.getKey(), label.getValue()));
		ServiceSpecFields.putPorts(saved.putArray("ports"), spec.ports());
		ServiceSpecFields.putRouting(saved, spec.routing());
		return this.json.writeValueAsString(saved);
	}

	/** The spec a Service gets back when its app wakes. */
	public ServiceSpec restoreFor(ServiceState service) {
		String saved = service.annotations().get(this.annotation);
		return (saved != null) ? parse(service, saved) : defaultFor(service);
	}

	private ServiceSpec parse(ServiceState service, String saved) {
		try {
			Saved spec = this.json.readValue(saved, Saved.class);
			if (spec.ports() == null || spec.ports().isEmpty()) {
				throw invalid(service, "it lists no ports", null);
			}
			List<ServiceSpec.Port> ports = spec.ports().stream().map(SavedServiceSpecs::port).toList();
			Integer timeout = (spec.sessionAffinityConfig() != null && spec.sessionAffinityConfig().clientIP() != null)
					? spec.sessionAffinityConfig().clientIP().timeoutSeconds() : null;
			ServiceSpec.Routing routing = new ServiceSpec.Routing("None".equals(spec.clusterIP()),
					spec.sessionAffinity(), timeout, spec.publishNotReadyAddresses(), spec.internalTrafficPolicy(),
					spec.trafficDistribution(), spec.ipFamilyPolicy(),
					(spec.ipFamilies() != null) ? spec.ipFamilies() : List.of());
			return new ServiceSpec((spec.type() != null) ? spec.type() : this.defaults.type(),
					(spec.selector() != null) ? spec.selector() : Map.of(), ports, routing);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw invalid(service, "it is not a Service spec", ex);
		}
	}

	private static ServiceSpec.Port port(SavedPort port) {
		if (port.port() == null || port.port() < 1) {
			throw new IllegalArgumentException("port without a number: " + port);
		}
		String target = (port.targetPort() != null) ? port.targetPort() : String.valueOf(port.port());
		return new ServiceSpec.Port(port.name(), port.port(), target,
				(port.protocol() != null) ? port.protocol() : "TCP", port.appProtocol());
	}

	private OperationFailure invalid(ServiceState service, String why, @Nullable Throwable cause) {
		return new OperationFailure(FailureReason.INVALID_APP,
				"The app's saved Service settings cannot be read, so nothing was changed. The platform team needs to fix the annotation "
						+ this.annotation + ".",
				new IllegalStateException("Annotation " + this.annotation + " on Service " + service.qualifiedName()
						+ " is unusable: " + why, cause));
	}

	private ServiceSpec defaultFor(ServiceState service) {
		String selectorLabel = this.defaults.selectorLabel();
		String selected = service.labels().get(selectorLabel);
		if (selected == null || selected.isBlank()) {
			throw new OperationFailure(FailureReason.INVALID_APP,
					"The app's Service does not say which pods serve it, so nothing was changed. The platform team needs to add the label "
							+ selectorLabel + " to it.",
					new IllegalStateException("Service " + service.qualifiedName() + " has no label " + selectorLabel));
		}
		ServiceSpec.Port port = new ServiceSpec.Port(null, this.defaults.port(), this.defaults.targetPort(), "TCP");
		return new ServiceSpec(this.defaults.type(), Map.of(selectorLabel, selected), List.of(port));
	}

	record Saved(@Nullable String type, @Nullable Map<String, String> selector, @Nullable List<SavedPort> ports,
			@Nullable String clusterIP, @Nullable String sessionAffinity,
			@Nullable SessionAffinityConfig sessionAffinityConfig, @Nullable Boolean publishNotReadyAddresses,
			@Nullable String internalTrafficPolicy, @Nullable String trafficDistribution,
			@Nullable String ipFamilyPolicy, @Nullable List<String> ipFamilies) {

	}

	record SavedPort(@Nullable String name, @Nullable Integer port, @Nullable String targetPort,
			@Nullable String protocol, @Nullable String appProtocol) {

	}

	record SessionAffinityConfig(@Nullable ClientIp clientIP) {

	}

	record ClientIp(@Nullable Integer timeoutSeconds) {

	}

}
