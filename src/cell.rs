//! Reactive values whose framework code exists once, whatever they hold.
//!
//! Leptos' `RwSignal<T>`, `Memo<T>` and `StoredValue<T>` compile the framework's code around
//! them (locks, subscriber lists, arena access, the memo's graph node) once per `T`: with
//! about thirty signal and memo types that was a sixth of the wasm (docs/benchmarks.md).
//! Here every value is kept as `Box<dyn Any>` in one kind of Leptos store, so that code is
//! compiled once, and each `T` adds only a downcast:
//!
//! - [`Var`]: a value that can be read (tracked) and written; a Leptos `Trigger` carries
//!   its changes, so effects and memos that read it rerun exactly as with an `RwSignal`.
//! - [`Calc`]: a memo (a value computed from others, rerun lazily, its readers notified only
//!   when the result differs), on one Leptos `Memo` type.
//! - [`Stash`]: a value that is not reactive (`StoredValue`).
//!
//! All three are `Copy` handles owned by the reactive owner they were made in, and disposed
//! with it; reading a disposed one panics, as Leptos' do, and the `try_` methods return
//! `None` instead.

use std::any::Any;
use std::cell::RefCell;
use std::marker::PhantomData;
use std::rc::Rc;

use leptos::prelude::{
    untrack, GetValue, LocalStorage, Memo, Notify, Signal, StoredValue, Track, Trigger, With,
    WithUntracked,
};
use send_wrapper::SendWrapper;

/// One kept value of any type.
type Boxed = Rc<RefCell<Box<dyn Any>>>;

/// The store behind [`Var`] and [`Stash`]: one Leptos type for every value.
#[derive(Clone, Copy)]
struct Store(StoredValue<Boxed, LocalStorage>);

impl Store {
    fn new(value: Box<dyn Any>) -> Store {
        Store(StoredValue::new_local(Rc::new(RefCell::new(value))))
    }

    fn get(self) -> Boxed {
        self.0.get_value()
    }

    fn try_get(self) -> Option<Boxed> {
        self.0.try_get_value()
    }
}

fn cast<T: 'static>(value: &dyn Any) -> &T {
    value
        .downcast_ref()
        .expect("a cell holds the type it was made with")
}

fn cast_mut<T: 'static>(value: &mut dyn Any) -> &mut T {
    value
        .downcast_mut()
        .expect("a cell holds the type it was made with")
}

fn read<T: 'static, R>(cell: &Boxed, f: impl FnOnce(&T) -> R) -> R {
    f(cast(&**cell.borrow()))
}

fn write<T: 'static, R>(cell: &Boxed, f: impl FnOnce(&mut T) -> R) -> R {
    f(cast_mut(&mut **cell.borrow_mut()))
}

/// A reactive value: reading it in an effect or memo subscribes them to its changes.
pub struct Var<T> {
    store: Store,
    changed: Trigger,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Var<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Var<T> {}

impl<T: 'static> Var<T> {
    pub fn new(value: T) -> Var<T> {
        Var {
            store: Store::new(Box::new(value)),
            changed: Trigger::new(),
            ty: PhantomData,
        }
    }

    /// Subscribes the running effect or memo to this value's changes.
    pub fn track(&self) {
        self.changed.track();
    }

    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.track();
        self.with_untracked(f)
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        read(&self.store.get(), f)
    }

    pub fn try_with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        Some(read(&self.store.try_get()?, f))
    }

    /// Changes the value in place and notifies its readers (nothing once it is disposed, as
    /// Leptos' `update`).
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.try_update(f);
    }

    /// [`Var::update`], or `None` once the value is disposed.
    pub fn try_update<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        let out = write(&self.store.try_get()?, f);
        self.changed.notify();
        Some(out)
    }

    /// Sets the value and notifies its readers (nothing once it is disposed).
    pub fn set(&self, value: T) {
        self.try_set(value);
    }

    /// [`Var::set`], giving the value back once the value is disposed.
    pub fn try_set(&self, value: T) -> Option<T> {
        match self.store.try_get() {
            Some(cell) => {
                write(&cell, |v| *v = value);
                self.changed.notify();
                None
            }
            None => Some(value),
        }
    }
}

impl<T: Clone + 'static> Var<T> {
    pub fn get(&self) -> T {
        self.with(T::clone)
    }

    pub fn get_untracked(&self) -> T {
        self.with_untracked(T::clone)
    }

    pub fn try_get_untracked(&self) -> Option<T> {
        self.try_with_untracked(T::clone)
    }
}

impl<T> Var<T> {
    /// Whether the owner this value was made in is gone.
    pub fn is_disposed(&self) -> bool {
        self.store.try_get().is_none()
    }
}

/// A memo's value, erased, with how to compare two of its type.
struct Computed {
    value: Box<dyn Any>,
    same: fn(&dyn Any, &dyn Any) -> bool,
}

fn same<T: PartialEq + 'static>(a: &dyn Any, b: &dyn Any) -> bool {
    cast::<T>(a) == cast::<T>(b)
}

type Erased = SendWrapper<Computed>;

/// A value computed from others (`Memo`): computed when read after what it read changed;
/// its readers rerun only when the new value differs from the old one.
pub struct Calc<T> {
    memo: Memo<Erased>,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Calc<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Calc<T> {}

fn changed(old: Option<&Erased>, new: Option<&Erased>) -> bool {
    match (old, new) {
        (Some(old), Some(new)) => !(new.same)(&*old.value, &*new.value),
        _ => true,
    }
}

type Compute = Box<dyn Fn(Option<&Computed>) -> Computed>;

/// The one Leptos memo type behind every [`Calc`].
fn memo(f: Compute) -> Memo<Erased> {
    let f = SendWrapper::new(f);
    Memo::new_with_compare(
        move |prev: Option<&Erased>| SendWrapper::new((*f)(prev.map(|p| &**p))),
        changed,
    )
}

impl<T: PartialEq + 'static> Calc<T> {
    /// `f` gets the previous value (`None` the first time).
    pub fn new(f: impl Fn(Option<&T>) -> T + 'static) -> Calc<T> {
        Calc {
            memo: memo(Box::new(move |prev| Computed {
                value: Box::new(f(prev.map(|p| cast(&*p.value)))),
                same: same::<T>,
            })),
            ty: PhantomData,
        }
    }
}

impl<T: 'static> Calc<T> {
    pub fn track(&self) {
        self.memo.track();
    }

    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.memo.with(|c| f(cast(&*c.value)))
    }

    pub fn with_untracked<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        self.memo.with_untracked(|c| f(cast(&*c.value)))
    }
}

impl<T: Clone + 'static> Calc<T> {
    pub fn get(&self) -> T {
        self.with(T::clone)
    }

    pub fn get_untracked(&self) -> T {
        self.with_untracked(T::clone)
    }
}

/// A value kept for the owner's lifetime that nothing subscribes to (`StoredValue`).
pub struct Stash<T> {
    store: Store,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for Stash<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Stash<T> {}

impl<T: 'static> Stash<T> {
    pub fn new(value: T) -> Stash<T> {
        Stash {
            store: Store::new(Box::new(value)),
            ty: PhantomData,
        }
    }

    pub fn with_value<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        read(&self.store.get(), f)
    }

    pub fn try_with_value<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        Some(read(&self.store.try_get()?, f))
    }

    /// Changes the value in place (nothing once it is disposed, as Leptos' `update_value`).
    pub fn update_value(&self, f: impl FnOnce(&mut T)) {
        self.try_update_value(f);
    }

    pub fn try_update_value<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
        Some(write(&self.store.try_get()?, f))
    }

    /// Sets the value (nothing once it is disposed).
    pub fn set_value(&self, value: T) {
        self.try_set_value(value);
    }

    /// [`Stash::set_value`], giving the value back once the value is disposed.
    pub fn try_set_value(&self, value: T) -> Option<T> {
        match self.store.try_get() {
            Some(cell) => {
                write(&cell, |v| *v = value);
                None
            }
            None => Some(value),
        }
    }

    /// Whether the owner this value was made in is gone.
    pub fn is_disposed(&self) -> bool {
        self.store.try_get().is_none()
    }
}

impl<T: Clone + 'static> Stash<T> {
    pub fn get_value(&self) -> T {
        self.with_value(T::clone)
    }

    pub fn try_get_value(&self) -> Option<T> {
        self.try_with_value(T::clone)
    }
}

impl<T> std::fmt::Debug for Var<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Var")
    }
}

impl<T> std::fmt::Debug for Stash<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stash")
    }
}

/// The same value (not equal contents), as for Leptos' handles.
impl<T> PartialEq for Var<T> {
    fn eq(&self, other: &Self) -> bool {
        self.store.0 == other.store.0
    }
}

impl<T: Clone + Send + Sync + 'static> From<Var<T>> for Signal<T> {
    fn from(var: Var<T>) -> Signal<T> {
        Signal::derive(move || var.get())
    }
}

/// A value computed on each read from others (`Signal::derive`); reading it in an effect
/// subscribes the effect to what it reads.
pub struct Derived<T> {
    read: Stash<Box<dyn Fn() -> T>>,
}

impl<T> Clone for Derived<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Derived<T> {}

impl<T: 'static> Derived<T> {
    pub fn new(f: impl Fn() -> T + 'static) -> Derived<T> {
        Derived {
            read: Stash::new(Box::new(f)),
        }
    }

    pub fn get(&self) -> T {
        self.read.with_value(|f| f())
    }

    pub fn get_untracked(&self) -> T {
        untrack(|| self.get())
    }

    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.get())
    }
}

impl<T: Clone + 'static> From<Var<T>> for Derived<T> {
    fn from(var: Var<T>) -> Derived<T> {
        Derived::new(move || var.get())
    }
}

impl<T: Clone + 'static> From<Calc<T>> for Derived<T> {
    fn from(calc: Calc<T>) -> Derived<T> {
        Derived::new(move || calc.get())
    }
}
