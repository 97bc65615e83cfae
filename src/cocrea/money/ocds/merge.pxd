# Cython declarations for merge.py (an "augmenting .pxd"): merge.py stays plain Python and is
# used as it is when the compiled module is absent; compiled, these types make the merge walk
# C calls over dicts and lists.
cimport cython

cdef class Arr(list):
    cdef public dict index

cdef class _Rules:
    cdef public frozenset omit
    cdef public frozenset whole
    cdef public dict children

cdef object _MISSING
cdef _Rules _NO_RULES

@cython.locals(key=object, value=object, kind=object)
cdef bint _clean_object(dict src, _Rules rules) except -1

@cython.locals(seen=set, item=object, key=object)
cdef bint _clean_array(list items, _Rules rules) except -1

@cython.locals(copy=dict, value=object, kind=object)
cdef dict _own(dict node, set adopted)

@cython.locals(arr=Arr, index=dict, position=Py_ssize_t, item=dict)
cdef Arr _as_arr(list items, set adopted)

@cython.locals(kind=object, item=object)
cdef bint _is_node(object value) except -1

@cython.locals(kind=object, key=object, value=object, other=object, i=Py_ssize_t)
cdef bint _identical(object a, object b) except -1

@cython.locals(emitted=bint, omit=frozenset, whole=frozenset, children=dict, key=object,
               value=object, kind=object, child=_Rules, current=object, node=dict, arr=Arr,
               ctype=object, item=object)
cdef bint _merge_object(dict target, dict src, _Rules rules, set adopted, list nones) except -1

@cython.locals(emitted=bint, index=dict, item=object, raw=object, kind=object, key=object,
               entry=tuple, position=Py_ssize_t, node=dict)
cdef bint _merge_array(Arr target, list items, _Rules rules, set adopted, list nones) except -1

@cython.locals(emitted=bint, omit=frozenset, whole=frozenset, children=dict, key=object,
               value=object, kind=object, child=_Rules, node=dict, arr=Arr, item=object)
cdef bint _fill_object(dict target, dict src, _Rules rules, set adopted, list nones) except -1
