package dev.unidler.notify;

/**
 * One body to post to one target, tried until it arrives or its tries run out.
 *
 * @param id its id, the idempotency key: the same on every try
 * @param type the payload's {@code type}, also sent as a header
 * @param target where it goes, as configured when it was queued
 * @param body the bytes posted on every try
 */
record Delivery(String id, String type, WebhookTarget target, byte[] body) {

	@Override
	public String toString() {
		return "Delivery[" + this.id + " to " + this.target.name() + "]";
	}

}
