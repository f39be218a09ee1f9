"""Which cloud service each resource type needs, and upstream's ResourceTypeUnavailable.

Upstream Heat checks, before a stack uses a type, that the type's service has an endpoint in
the caller's Keystone catalog (`Resource.is_service_available`); a type whose service is
missing is neither listed by GET /resource_types nor accepted in a template
("HEAT-E99001 Service <svc> is not available for resource type <type>, reason: ...").
This table holds the types we implement that need a service, and the types upstream offers
for services we do not implement, so a template using one of them on a cloud without that
service gets upstream's answer rather than "could not be found". Pure data and functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    """A client plugin of upstream's: its name and the catalog type it looks up (first), with
    the other names the service-types authority gives that type (keystoneauth matches them)."""

    name: str
    types: tuple[str, ...]

    @property
    def service_type(self) -> str:
        return self.types[0]

    def in_catalog(self, catalog: Iterable[str]) -> bool:
        return not set(self.types).isdisjoint(catalog)


NOVA = Service("nova", ("compute",))
NEUTRON = Service("neutron", ("network",))
CINDER = Service("cinder", ("volumev3", "block-storage", "volumev2", "volume", "block-store"))
GLANCE = Service("glance", ("image",))
AODH = Service("aodh", ("alarming", "alarm"))
BARBICAN = Service("barbican", ("key-manager",))
BLAZAR = Service("blazar", ("reservation",))
DESIGNATE = Service("designate", ("dns",))
MAGNUM = Service(
    "magnum",
    ("container-infra", "container-infrastructure-management", "container-infrastructure"),
)
MANILA = Service("manila", ("sharev2", "shared-file-system", "share"))
MISTRAL = Service("mistral", ("workflowv2", "workflow"))
OCTAVIA = Service("octavia", ("load-balancer",))
SAHARA = Service("sahara", ("data-processing",))
SENLIN = Service("senlin", ("clustering", "resource-cluster", "cluster"))
SWIFT = Service("swift", ("object-store",))
TROVE = Service("trove", ("database",))
ZAQAR = Service("zaqar", ("messaging", "message"))
ZUN = Service("zun", ("container", "application-container"))

# The types this service implements whose actions call a cloud service (by name prefix), and
# AWS::EC2::Instance, which upstream checks against Nova. The in-engine and Heat types need
# none: this service is their orchestration endpoint.
_IMPLEMENTED = {
    "OS::Nova::": NOVA,
    "OS::Neutron::": NEUTRON,
    "OS::Cinder::": CINDER,
    "OS::Glance::": GLANCE,
    "AWS::EC2::Instance": NOVA,
}

# Upstream 27's types for services this service does not implement (not their whole
# namespaces: a misspelt name is still "could not be found" there, as here).
_UPSTREAM_ONLY: dict[str, Service] = {
    **dict.fromkeys(
        (
            "OS::Aodh::Alarm",
            "OS::Aodh::CompositeAlarm",
            "OS::Aodh::EventAlarm",
            "OS::Aodh::GnocchiResourcesAlarm",
            "OS::Aodh::GnocchiAggregationByMetricsAlarm",
            "OS::Aodh::GnocchiAggregationByResourcesAlarm",
            "OS::Aodh::LBMemberHealthAlarm",
            "OS::Aodh::PrometheusAlarm",
            # Upstream's global environment maps it to OS::Aodh::Alarm.
            "OS::Ceilometer::Alarm",
        ),
        AODH,
    ),
    **dict.fromkeys(
        (
            "OS::Barbican::Secret",
            "OS::Barbican::Order",
            "OS::Barbican::GenericContainer",
            "OS::Barbican::CertificateContainer",
            "OS::Barbican::RSAContainer",
        ),
        BARBICAN,
    ),
    **dict.fromkeys(("OS::Blazar::Host", "OS::Blazar::Lease"), BLAZAR),
    **dict.fromkeys(("OS::Designate::Zone", "OS::Designate::RecordSet"), DESIGNATE),
    **dict.fromkeys(("OS::Magnum::Cluster", "OS::Magnum::ClusterTemplate"), MAGNUM),
    **dict.fromkeys(
        (
            "OS::Manila::Share",
            "OS::Manila::ShareNetwork",
            "OS::Manila::ShareType",
            "OS::Manila::SecurityService",
        ),
        MANILA,
    ),
    **dict.fromkeys(
        ("OS::Mistral::Workflow", "OS::Mistral::CronTrigger", "OS::Mistral::ExternalResource"),
        MISTRAL,
    ),
    **dict.fromkeys(
        (
            "OS::Octavia::LoadBalancer",
            "OS::Octavia::Listener",
            "OS::Octavia::Pool",
            "OS::Octavia::PoolMember",
            "OS::Octavia::HealthMonitor",
            "OS::Octavia::L7Policy",
            "OS::Octavia::L7Rule",
            "OS::Octavia::Quota",
            "OS::Octavia::Flavor",
            "OS::Octavia::FlavorProfile",
            "OS::Octavia::AvailabilityZone",
            "OS::Octavia::AvailabilityZoneProfile",
        ),
        OCTAVIA,
    ),
    # Heat's functional tests use OS::Sahara::NodeGroupTemplate as the type of a service
    # that is not deployed.
    **dict.fromkeys(
        (
            "OS::Sahara::NodeGroupTemplate",
            "OS::Sahara::ClusterTemplate",
            "OS::Sahara::Cluster",
            "OS::Sahara::DataSource",
            "OS::Sahara::ImageRegistry",
            "OS::Sahara::JobBinary",
            "OS::Sahara::Job",
        ),
        SAHARA,
    ),
    **dict.fromkeys(
        (
            "OS::Senlin::Cluster",
            "OS::Senlin::Node",
            "OS::Senlin::Policy",
            "OS::Senlin::Profile",
            "OS::Senlin::Receiver",
        ),
        SENLIN,
    ),
    **dict.fromkeys(("OS::Swift::Container", "AWS::S3::Bucket"), SWIFT),
    **dict.fromkeys(("OS::Trove::Instance", "OS::Trove::Cluster"), TROVE),
    **dict.fromkeys(
        (
            "OS::Zaqar::Queue",
            "OS::Zaqar::SignedQueueURL",
            "OS::Zaqar::Subscription",
            "OS::Zaqar::MistralTrigger",
        ),
        ZAQAR,
    ),
    "OS::Zun::Container": ZUN,
}


def service_of(type_name: str) -> Service | None:
    """The cloud service a type needs, or None (in-engine, Heat's own, or unknown types)."""
    found = _UPSTREAM_ONLY.get(type_name)
    if found is not None:
        return found
    for prefix, service in _IMPLEMENTED.items():
        if type_name.startswith(prefix):
            return service
    return None


def is_upstream_only(type_name: str) -> bool:
    """A type upstream offers for a service this service does not implement."""
    return type_name in _UPSTREAM_ONLY


def unavailable_reason(type_name: str, catalog: frozenset[str] | None) -> str | None:
    """Upstream's reason a type is unavailable in `catalog` (its service types), or None.

    None too when the catalog is not known (noauth without a cloud): nothing is refused then.
    """
    if catalog is None:
        return None
    service = service_of(type_name)
    if service is None or service.in_catalog(catalog):
        return None
    return f"{service.name} {service.service_type} endpoint is not in service catalog."
