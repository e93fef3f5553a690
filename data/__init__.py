"""The bundled africa-presence dataset (CSV tables and country geometries).

Installed as the package ``africa_presence_data`` so that ``geo.dataset`` finds the files
after a plain ``pip install .``; in a source checkout it is simply the ``data/`` folder.
"""
